package dev.weft.data.internal.kernels;

import java.util.List;

/**
 * Open addressing with linear probing for one fixed-width key column. Each slot is two adjacent longs in one
 * array — the key and its group id + 1 (0 = free) — so a probe touches one cache line, which is what bounds a
 * group-by into millions of groups.
 */
final class LongGroupTable extends GroupTable {
  private long[] slots;
  private int mask;
  private int nullGroup = -1;
  private final KeyColumn store;

  LongGroupTable(List<KeyColumn> stores, int expected) {
    super(stores);
    this.store = stores.getFirst();
    int cap = tableCapacity(expected);
    slots = new long[2 * cap];
    mask = cap - 1;
  }

  @Override
  int[] assign(List<KeyColumn> keyColumns, int n) {
    KeyColumn c = keyColumns.getFirst();
    long[] values = c.longs;
    boolean[] nulls = c.nulls;
    int[] out = new int[n];
    long[] s = slots;
    int m = mask;
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
      int slot = (int) KeyHash.mix(v) & m;
      long id;
      while (true) {
        id = s[2 * slot + 1];
        if (id == 0) {
          id = store.size + 1;
          s[2 * slot] = v;
          s[2 * slot + 1] = id;
          store.append(c, i);
          if ((long) (store.size - (nullGroup >= 0 ? 1 : 0)) * 2 > m + 1) {
            grow();
            s = slots;
            m = mask;
          }
          break;
        }
        if (s[2 * slot] == v) {
          break;
        }
        slot = (slot + 1) & m;
      }
      out[i] = (int) id - 1;
    }
    return out;
  }

  @Override
  int[] lookup(List<KeyColumn> keyColumns, int n) {
    KeyColumn c = keyColumns.getFirst();
    long[] values = c.longs;
    boolean[] nulls = c.nulls;
    int[] out = new int[n];
    long[] s = slots;
    int m = mask;
    for (int i = 0; i < n; i++) {
      if (nulls != null && nulls[i]) {
        out[i] = -1;
        continue;
      }
      long v = values[i];
      int slot = (int) KeyHash.mix(v) & m;
      long id;
      while ((id = s[2 * slot + 1]) != 0 && s[2 * slot] != v) {
        slot = (slot + 1) & m;
      }
      out[i] = (int) id - 1;
    }
    return out;
  }

  private void grow() {
    long[] old = slots;
    int cap = old.length;
    long[] next = new long[2 * cap];
    int m = cap - 1;
    for (int s = 0; s < old.length; s += 2) {
      long id = old[s + 1];
      if (id != 0) {
        int slot = (int) KeyHash.mix(old[s]) & m;
        while (next[2 * slot + 1] != 0) {
          slot = (slot + 1) & m;
        }
        next[2 * slot] = old[s];
        next[2 * slot + 1] = id;
      }
    }
    slots = next;
    mask = m;
  }

  @Override
  int size() {
    return store.size;
  }
}
