package dev.weft.data;

import dev.weft.data.internal.kernels.SortKey;
import dev.weft.data.internal.plan.Projection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Column operations for {@link Dataset}: the checks of select, drop, rename and withColumn and their projections,
 * and the checked keys of a sort.
 */
final class DatasetColumns {
    private DatasetColumns() {
    }

    static Projection select(String... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("select needs at least one column");
        }
        List<Projection.NamedExpr> items = new ArrayList<>();
        for (String c : columns) {
            items.add(new Projection.NamedExpr(c, Expr.col(c)));
        }
        return new Projection.Select(items);
    }

    static Projection drop(String... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("drop needs at least one column");
        }
        return new Projection.Drop(Arrays.asList(columns));
    }

    static Projection rename(Map<String, String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("rename needs at least one column");
        }
        return new Projection.Rename(new LinkedHashMap<>(names));
    }

    static Projection withColumn(String name, Expr expr) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("column name must not be blank");
        }
        if (expr == null) {
            throw new IllegalArgumentException("expression must not be null");
        }
        return new Projection.WithColumn(name, expr);
    }

    static List<SortKey> sortKeys(String[] keys, boolean[] descending) {
        if (keys == null || keys.length == 0 || descending == null || descending.length != keys.length) {
            throw new IllegalArgumentException("sort needs at least one key and one direction per key, got "
                    + (keys == null ? 0 : keys.length) + " keys and " + (descending == null ? 0 : descending.length)
                    + " directions");
        }
        List<SortKey> sortKeys = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) {
                throw new IllegalArgumentException("sort key must not be null");
            }
            sortKeys.add(new SortKey(keys[i], descending[i]));
        }
        return sortKeys;
    }
}
