package dev.weft.data.internal.kernels;

import java.util.Arrays;
import java.util.List;

/**
 * Open addressing over 64-bit row hashes for any key shape (strings, binaries, several columns): a slot holds a
 * group id, the group's hash is kept beside its stored key values, and a candidate is confirmed by comparing the
 * key values column by column.
 */
final class RowGroupTable extends GroupTable {
  private int[] slots;
  private long[] groupHash;
  private int mask;

  RowGroupTable(List<KeyColumn> stores, int expected) {
    super(stores);
    int cap = tableCapacity(expected);
    slots = new int[cap];
    groupHash = new long[Math.max(16, expected)];
    mask = cap - 1;
  }

  @Override
  int[] assign(List<KeyColumn> keys, int n) {
    long[] hashes = KeyHash.hashRows(keys, n);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = findOrAdd(keys, i, hashes[i], true);
    }
    return out;
  }

  @Override
  int[] lookup(List<KeyColumn> keys, int n) {
    long[] hashes = KeyHash.hashRows(keys, n);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = anyNull(keys, i) ? -1 : findOrAdd(keys, i, hashes[i], false);
    }
    return out;
  }

  /** The group of row {@code i}, or -1 when absent and {@code add} is false. */
  int findOrAdd(List<KeyColumn> keys, int i, long h, boolean add) {
    int slot = (int) h & mask;
    while (true) {
      int id = slots[slot];
      if (id == 0) {
        if (!add) {
          return -1;
        }
        int g = size();
        for (int k = 0; k < keys.size(); k++) {
          stores.get(k).append(keys.get(k), i);
        }
        if (g >= groupHash.length) {
          groupHash = Arrays.copyOf(groupHash, groupHash.length * 2);
        }
        groupHash[g] = h;
        slots[slot] = g + 1;
        if ((g + 1) * 2 > slots.length) {
          grow();
        }
        return g;
      }
      int g = id - 1;
      if (groupHash[g] == h && sameKeys(keys, i, g)) {
        return g;
      }
      slot = (slot + 1) & mask;
    }
  }

  private boolean sameKeys(List<KeyColumn> keys, int i, int g) {
    for (int k = 0; k < keys.size(); k++) {
      KeyColumn a = keys.get(k);
      KeyColumn b = stores.get(k);
      boolean na = a.isNull(i);
      if (na != b.isNull(g)) {
        return false;
      }
      if (!na && !a.equalsAt(i, b, g)) {
        return false;
      }
    }
    return true;
  }

  private void grow() {
    int cap = slots.length * 2;
    int[] next = new int[cap];
    int m = cap - 1;
    for (int id : slots) {
      if (id != 0) {
        int slot = (int) groupHash[id - 1] & m;
        while (next[slot] != 0) {
          slot = (slot + 1) & m;
        }
        next[slot] = id;
      }
    }
    slots = next;
    mask = m;
  }

  @Override
  int size() {
    return stores.getFirst().size;
  }
}
