package dev.weft.data.internal.kernels;

import java.util.Objects;

/**
 * One sort key. Nulls follow Spark's defaults: first when ascending, last when descending — that is, a null sorts
 * as smaller than every value and the direction then reverses the whole order. NaN is greater than every other
 * floating-point value, and -0.0 equals 0.0.
 */
public record SortKey(String column, boolean descending) implements java.io.Serializable {
  public SortKey {
    Objects.requireNonNull(column, "column");
  }

  public static SortKey asc(String column) {
    return new SortKey(column, false);
  }

  public static SortKey desc(String column) {
    return new SortKey(column, true);
  }
}
