package dev.weft.data;

import dev.weft.data.internal.kernels.Aggregate;
import java.util.Objects;

/**
 * One aggregate for {@link Dataset#aggregate} and {@link GroupedDataset#aggregate}. Nulls in the input column
 * are skipped (as in SQL): {@code count(c)} counts non-null values; {@code sum}, {@code mean}, {@code min},
 * {@code max}, {@code std} of a group whose values are all null are null; {@code countDistinct} ignores nulls.
 * {@code std} is the sample standard deviation (n - 1), null below two values. {@code sum} of an integer column
 * is int64 (wrapping on overflow), of a floating column float64; {@code mean} and {@code std} are float64;
 * {@code min}/{@code max} keep the input type; counts are int64. The output column is named like
 * {@code sum(x)} unless renamed with {@link #as}. Immutable.
 */
public final class Agg {
    private final Aggregate aggregate;

    private Agg(Aggregate aggregate) {
        this.aggregate = aggregate;
    }

    /** Rows per group (nulls included), column {@code count()}. */
    public static Agg count() {
        return new Agg(Aggregate.count());
    }

    /** Non-null values of {@code column}. */
    public static Agg count(String column) {
        return new Agg(Aggregate.count(col(column)));
    }

    public static Agg sum(String column) {
        return new Agg(Aggregate.sum(col(column)));
    }

    public static Agg mean(String column) {
        return new Agg(Aggregate.mean(col(column)));
    }

    public static Agg min(String column) {
        return new Agg(Aggregate.min(col(column)));
    }

    public static Agg max(String column) {
        return new Agg(Aggregate.max(col(column)));
    }

    /** Sample standard deviation. */
    public static Agg std(String column) {
        return new Agg(Aggregate.std(col(column)));
    }

    public static Agg countDistinct(String column) {
        return new Agg(Aggregate.countDistinct(col(column)));
    }

    /** The same aggregate under output column {@code name}. */
    public Agg as(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("aggregate " + aggregate.name() + ": output name must not be empty");
        }
        return new Agg(aggregate.as(name));
    }

    /** The output column name. */
    public String name() {
        return aggregate.name();
    }

    Aggregate aggregate() {
        return aggregate;
    }

    private static String col(String column) {
        if (column == null || column.isEmpty()) {
            throw new IllegalArgumentException("aggregate column must not be empty");
        }
        return column;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Agg a && a.aggregate.equals(aggregate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(aggregate);
    }

    @Override
    public String toString() {
        return aggregate.name();
    }
}
