package dev.weft.data.internal.kernels;

import java.util.Arrays;

/** An open-addressing set of non-negative longs (linear probing, -1 marks a free slot). Not thread-safe. */
final class LongHashSet {
  private long[] slots;
  private int mask;
  private int size;

  LongHashSet(int expected) {
    int cap = GroupTable.tableCapacity(expected);
    slots = new long[cap];
    Arrays.fill(slots, -1L);
    mask = cap - 1;
  }

  /** Adds {@code v} (must be ≥ 0); true when it was not there before. */
  boolean add(long v) {
    int slot = (int) KeyHash.mix(v) & mask;
    while (true) {
      long s = slots[slot];
      if (s == -1L) {
        slots[slot] = v;
        if (++size * 2 > slots.length) {
          grow();
        }
        return true;
      }
      if (s == v) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
  }

  int size() {
    return size;
  }

  /** The elements, in no particular order. */
  long[] toArray() {
    long[] out = new long[size];
    int k = 0;
    for (long s : slots) {
      if (s != -1L) {
        out[k++] = s;
      }
    }
    return out;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    Arrays.fill(slots, -1L);
    mask = slots.length - 1;
    for (long s : old) {
      if (s != -1L) {
        int slot = (int) KeyHash.mix(s) & mask;
        while (slots[slot] != -1L) {
          slot = (slot + 1) & mask;
        }
        slots[slot] = s;
      }
    }
  }
}
