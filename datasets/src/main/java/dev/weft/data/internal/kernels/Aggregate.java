package dev.weft.data.internal.kernels;

import java.util.Objects;

/**
 * One aggregate of a group-by: what to compute, over which input column, under which output name. Nulls in the
 * input column are skipped by every aggregate (as in SQL): {@code count(c)} counts non-null values, {@code sum},
 * {@code mean}, {@code min}, {@code max}, {@code std} of a group whose values are all null are null, and
 * {@code countDistinct} ignores nulls. {@code std} is the sample standard deviation (n - 1), null below two values.
 * {@code sum} of an integer column is int64 (wrapping on overflow), of a floating column float64; {@code mean} and
 * {@code std} are float64; {@code min}/{@code max} keep the input type (numbers, temporal types, booleans, utf8,
 * binary); counts are int64.
 */
public record Aggregate(Kind kind, String column, String name) implements java.io.Serializable {
  public enum Kind { COUNT_ALL, COUNT, SUM, MEAN, MIN, MAX, STD, COUNT_DISTINCT }

  public Aggregate {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    if (kind != Kind.COUNT_ALL && column == null) {
      throw new IllegalArgumentException("aggregate " + kind + " named '" + name + "' needs an input column");
    }
  }

  public static Aggregate count() {
    return new Aggregate(Kind.COUNT_ALL, null, "count()");
  }

  public static Aggregate count(String column) {
    return new Aggregate(Kind.COUNT, column, "count(" + column + ")");
  }

  public static Aggregate sum(String column) {
    return new Aggregate(Kind.SUM, column, "sum(" + column + ")");
  }

  public static Aggregate mean(String column) {
    return new Aggregate(Kind.MEAN, column, "mean(" + column + ")");
  }

  public static Aggregate min(String column) {
    return new Aggregate(Kind.MIN, column, "min(" + column + ")");
  }

  public static Aggregate max(String column) {
    return new Aggregate(Kind.MAX, column, "max(" + column + ")");
  }

  public static Aggregate std(String column) {
    return new Aggregate(Kind.STD, column, "std(" + column + ")");
  }

  public static Aggregate countDistinct(String column) {
    return new Aggregate(Kind.COUNT_DISTINCT, column, "count_distinct(" + column + ")");
  }

  /** The same aggregate under another output name. */
  public Aggregate as(String newName) {
    return new Aggregate(kind, column, newName);
  }
}
