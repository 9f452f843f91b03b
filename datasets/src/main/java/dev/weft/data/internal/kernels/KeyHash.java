package dev.weft.data.internal.kernels;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * 64-bit row hashes over key columns, computed a column at a time. The same key values give the same hash on every
 * node and in every batch (no per-process seed), which is what lets both sides of a shuffled join, and every map
 * task of a group-by, agree on the reducer of a key.
 */
final class KeyHash {
  private static final long NULL_HASH = 0x5bd1e9955bd1e995L;
  private static final long SEED = 0x9E3779B97F4A7C15L;

  private KeyHash() {}

  /** murmur3's 64-bit finaliser: a cheap mix with full avalanche. */
  static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** Hashes of rows {@code 0..n-1} of {@code keys} (columns of the same batch). */
  static long[] hashRows(List<KeyColumn> keys, int n) {
    long[] h = new long[n];
    java.util.Arrays.fill(h, SEED);
    for (KeyColumn c : keys) {
      combine(c, h, n);
    }
    for (int i = 0; i < n; i++) {
      h[i] = mix(h[i]);
    }
    return h;
  }

  private static void combine(KeyColumn c, long[] h, int n) {
    boolean[] nulls = c.nulls;
    if (c.longs != null) {
      long[] v = c.longs;
      if (nulls == null) {
        for (int i = 0; i < n; i++) {
          h[i] = (h[i] ^ mix(v[i])) * 31 + 17;
        }
      } else {
        for (int i = 0; i < n; i++) {
          h[i] = (h[i] ^ (nulls[i] ? NULL_HASH : mix(v[i]))) * 31 + 17;
        }
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      long x = nulls != null && nulls[i] ? NULL_HASH : hashBytes(c.bytes, c.start(i), c.end(i));
      h[i] = (h[i] ^ x) * 31 + 17;
    }
  }

  static long hashBytes(MemorySegment s, long from, long to) {
    long h = (to - from) * SEED;
    long i = from;
    for (; i + 8 <= to; i += 8) {
      h = Long.rotateLeft(h ^ mix(s.get(Segments.LONG, i)), 27) * 5 + 0x52dce729;
    }
    long tail = 0;
    int shift = 0;
    for (; i < to; i++, shift += 8) {
      tail |= (s.get(Segments.BYTE, i) & 0xFFL) << shift;
    }
    return mix(h ^ tail ^ (tail >>> 7));
  }
}
