package dev.weft.data.internal.kernels;

import java.util.List;

/** Open addressing with linear probing over a {@code long[]} of keys, for one fixed-width key column. */
final class LongGroupTable extends GroupTable {
  private long[] keys;
  private int[] ids;
  private int mask;
  private int count;
  private int nullGroup = -1;
  private final KeyColumn store;

  LongGroupTable(List<KeyColumn> stores, int expected) {
    super(stores);
    this.store = stores.getFirst();
    int cap = tableCapacity(expected);
    keys = new long[cap];
    ids = new int[cap];
    mask = cap - 1;
  }

  @Override
  int[] assign(List<KeyColumn> keyColumns, int n) {
    KeyColumn c = keyColumns.getFirst();
    long[] values = c.longs;
    boolean[] nulls = c.nulls;
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      if (nulls != null && nulls[i]) {
        if (nullGroup < 0) {
          nullGroup = store.size;
          store.append(c, i);
        }
        out[i] = nullGroup;
        continue;
      }
      long v = values[i];
      int slot = (int) KeyHash.mix(v) & mask;
      int id;
      while (true) {
        id = ids[slot];
        if (id == 0) {
          id = store.size + 1;
          ids[slot] = id;
          keys[slot] = v;
          store.append(c, i);
          if (++count * 2 > keys.length) {
            grow();
          }
          break;
        }
        if (keys[slot] == v) {
          break;
        }
        slot = (slot + 1) & mask;
      }
      out[i] = id - 1;
    }
    return out;
  }

  @Override
  int[] lookup(List<KeyColumn> keyColumns, int n) {
    KeyColumn c = keyColumns.getFirst();
    long[] values = c.longs;
    boolean[] nulls = c.nulls;
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      if (nulls != null && nulls[i]) {
        out[i] = -1;
        continue;
      }
      long v = values[i];
      int slot = (int) KeyHash.mix(v) & mask;
      int id;
      while ((id = ids[slot]) != 0 && keys[slot] != v) {
        slot = (slot + 1) & mask;
      }
      out[i] = id - 1;
    }
    return out;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldIds = ids;
    int cap = oldKeys.length * 2;
    keys = new long[cap];
    ids = new int[cap];
    mask = cap - 1;
    for (int s = 0; s < oldKeys.length; s++) {
      int id = oldIds[s];
      if (id != 0) {
        int slot = (int) KeyHash.mix(oldKeys[s]) & mask;
        while (ids[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        ids[slot] = id;
        keys[slot] = oldKeys[s];
      }
    }
  }

  @Override
  int size() {
    return store.size;
  }
}
