package dev.weft.data.internal.kernels;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Maps key rows to dense group ids {@code 0, 1, 2, ...} in order of first appearance, remembering each group's key
 * values. A null key value is a value like any other here (nulls form their own group). Not thread-safe.
 */
abstract sealed class GroupTable permits LongGroupTable, RowGroupTable, GroupTable.Single {
  final List<KeyColumn> stores;

  GroupTable(List<KeyColumn> stores) {
    this.stores = stores;
  }

  /** A table for keys of the given fields: a primitive-long table for one fixed-width key, else a general one. */
  static GroupTable create(List<Field> keyFields, int expectedGroups) {
    List<KeyColumn> stores = new ArrayList<>(keyFields.size());
    for (Field f : keyFields) {
      stores.add(KeyColumn.store(f, expectedGroups));
    }
    if (stores.isEmpty()) {
      return new Single();
    }
    if (stores.size() == 1 && stores.getFirst().longs != null) {
      return new LongGroupTable(stores, expectedGroups);
    }
    return new RowGroupTable(stores, expectedGroups);
  }

  /** The group id of each of the {@code n} rows of {@code keys}, adding groups for keys not seen before. */
  abstract int[] assign(List<KeyColumn> keys, int n);

  /** Number of groups so far. */
  abstract int size();

  /**
   * The group id of each of the {@code n} rows of {@code keys}, or -1 for keys not in the table and for rows with a
   * null in any key column (so that, as in SQL joins, null keys never match). Never adds groups; safe to call from
   * several threads at once while no thread calls {@link #assign}.
   */
  abstract int[] lookup(List<KeyColumn> keys, int n);

  static boolean anyNull(List<KeyColumn> keys, int i) {
    for (KeyColumn k : keys) {
      if (k.isNull(i)) {
        return true;
      }
    }
    return false;
  }

  /** The key columns of every group in group-id order, named as the key fields, owned by the caller. */
  List<FieldVector> keyVectors(BufferAllocator allocator) {
    List<FieldVector> out = new ArrayList<>(stores.size());
    try {
      for (KeyColumn s : stores) {
        out.add(s.toVector(allocator));
      }
    } catch (RuntimeException e) {
      out.forEach(FieldVector::close);
      throw e;
    }
    return out;
  }

  static int tableCapacity(int expected) {
    long want = Math.max(16L, (long) expected * 2);
    if (want > (1L << 30)) {
      want = 1L << 30;
    }
    return (int) (Long.highestOneBit(want - 1) << 1);
  }

  /** The single group of a global (key-less) aggregation. */
  static final class Single extends GroupTable {
    Single() {
      super(List.of());
    }

    @Override
    int[] assign(List<KeyColumn> keys, int n) {
      return new int[n];
    }

    @Override
    int size() {
      return 1;
    }

    @Override
    int[] lookup(List<KeyColumn> keys, int n) {
      return new int[n];
    }
  }
}
