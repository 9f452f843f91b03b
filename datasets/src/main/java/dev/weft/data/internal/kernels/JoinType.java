package dev.weft.data.internal.kernels;

/**
 * SQL join types. Outer joins keep unmatched rows of the named side(s) with nulls for the other side; semi joins
 * return the named side's rows that have at least one match (each once, only that side's columns); anti joins
 * return the named side's rows with no match (including rows whose key has a null, which never matches).
 */
public enum JoinType {
  INNER, LEFT_OUTER, RIGHT_OUTER, FULL_OUTER, LEFT_SEMI, RIGHT_SEMI, LEFT_ANTI, RIGHT_ANTI;

  boolean keepsUnmatchedLeft() {
    return this == LEFT_OUTER || this == FULL_OUTER;
  }

  boolean keepsUnmatchedRight() {
    return this == RIGHT_OUTER || this == FULL_OUTER;
  }

  boolean isSemiOrAnti() {
    return this == LEFT_SEMI || this == RIGHT_SEMI || this == LEFT_ANTI || this == RIGHT_ANTI;
  }

  /** For semi/anti joins: whether the returned rows are the left side's. */
  boolean returnsLeft() {
    return this == LEFT_SEMI || this == LEFT_ANTI;
  }

  boolean isAnti() {
    return this == LEFT_ANTI || this == RIGHT_ANTI;
  }
}
