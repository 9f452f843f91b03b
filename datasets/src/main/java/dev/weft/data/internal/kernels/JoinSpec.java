package dev.weft.data.internal.kernels;

import java.util.List;
import java.util.Objects;

/**
 * What to join: type, the key columns of each side (pairwise equal), which side the hash table is built on, and the
 * suffix given to right-side columns whose names clash with left-side columns.
 *
 * <p>Output columns (inner and outer joins): every left column, then every right column. A right key column with
 * the same name and type as its paired left key column is not repeated: the output's key column takes the left
 * value, or the right value on rows where the left side is absent (a right/full outer row) — like SQL's
 * {@code USING}. Any other right column whose name is already taken gets {@code rightSuffix} appended (repeatedly,
 * until unique). Semi and anti joins return only the columns of their side.
 *
 * @param buildLeft build the hash table on the left side (true) or on the right side (false); the other side is
 *     streamed through {@link HashJoin#probe}. For a broadcast join build the small side.
 */
public record JoinSpec(JoinType type, List<String> leftKeys, List<String> rightKeys, boolean buildLeft,
    String rightSuffix) implements java.io.Serializable {
  public JoinSpec {
    Objects.requireNonNull(type, "type");
    leftKeys = List.copyOf(leftKeys);
    rightKeys = List.copyOf(rightKeys);
    Objects.requireNonNull(rightSuffix, "rightSuffix");
    if (leftKeys.isEmpty() || leftKeys.size() != rightKeys.size()) {
      throw new IllegalArgumentException(
          "join needs the same positive number of keys on both sides, got left " + leftKeys + " and right "
              + rightKeys);
    }
    if (rightSuffix.isEmpty()) {
      throw new IllegalArgumentException("rightSuffix must not be empty");
    }
  }

  /** Keys with the same names on both sides; the table is built on the right; suffix {@code _right}. */
  public static JoinSpec on(JoinType type, List<String> keys) {
    return new JoinSpec(type, keys, keys, false, "_right");
  }

  public JoinSpec withBuildLeft(boolean left) {
    return new JoinSpec(type, leftKeys, rightKeys, left, rightSuffix);
  }

  public JoinSpec withType(JoinType other) {
    return new JoinSpec(other, leftKeys, rightKeys, buildLeft, rightSuffix);
  }
}
