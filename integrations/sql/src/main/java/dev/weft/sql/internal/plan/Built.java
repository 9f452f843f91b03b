package dev.weft.sql.internal.plan;

import dev.weft.data.Dataset;
import dev.weft.data.Expr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dataset of one operator and where its fields are: field {@code i} of the operator's row type is column
 * {@code columns.get(i)} of {@code dataset} (several fields may share a column; the dataset may hold more columns
 * than the fields, e.g. sort helpers, listed in {@code present}). Immutable.
 */
public record Built(Dataset dataset, List<String> columns, Set<String> present) {
    public Built {
        columns = List.copyOf(columns);
        present = Set.copyOf(present);
    }

    /** A dataset whose columns are exactly {@code columns}. */
    public static Built of(Dataset dataset, List<String> columns) {
        return new Built(dataset, columns, new LinkedHashSet<>(columns));
    }

    public Expr column(int field) {
        return Expr.col(columns.get(field));
    }

    /** A column name not yet in the dataset: {@code preferred} if free, else with a numeric suffix. */
    public String fresh(String preferred, Set<String> alsoTaken) {
        String base = preferred == null || preferred.isBlank() ? "expr" : preferred;
        String name = base;
        for (int i = 0; present.contains(name) || alsoTaken.contains(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    /** This dataset with only the columns of its fields (so the columns nobody reads are not read at all). */
    public Built pruned() {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(columns));
        if (distinct.isEmpty() || present.equals(new LinkedHashSet<>(distinct))) {
            return this;
        }
        return new Built(dataset.select(distinct.toArray(String[]::new)), columns, new LinkedHashSet<>(distinct));
    }

    /**
     * A dataset whose columns are exactly {@code names}, in order, holding this one's fields in field order
     * (copies a column that serves several fields; renames through temporary names so no rename clashes).
     */
    public Dataset shapedAs(List<String> names) {
        if (names.size() != columns.size()) {
            throw new IllegalArgumentException("shape of " + columns + " as " + names + ": the counts differ");
        }
        Dataset ds = dataset;
        List<String> selected = new ArrayList<>();
        Map<String, String> renames = new HashMap<>();
        Set<String> kept = new LinkedHashSet<>();
        Set<String> taken = new LinkedHashSet<>(names);
        for (int i = 0; i < names.size(); i++) {
            String source = columns.get(i);
            String target = names.get(i);
            if (source.equals(target) && kept.add(source)) {
                selected.add(source);
            } else {
                String tmp = fresh("$s" + i, taken);
                taken.add(tmp);
                ds = ds.withColumn(tmp, Expr.col(source));
                selected.add(tmp);
                renames.put(tmp, target);
            }
        }
        ds = ds.select(selected.toArray(String[]::new));
        return renames.isEmpty() ? ds : ds.rename(renames);
    }
}
