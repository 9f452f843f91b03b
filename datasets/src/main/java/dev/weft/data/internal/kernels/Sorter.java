package dev.weft.data.internal.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Sorts one batch by {@link SortKey}s into a permutation, then gathers every column by it. The sort is stable. A
 * single numeric, temporal or boolean key goes through an LSD radix sort of order-preserving 64-bit images of the
 * values; anything else (strings, several keys) through a merge sort on row indices with a typed comparator.
 */
public final class Sorter {
  private static final int INSERTION_THRESHOLD = 24;

  private Sorter() {}

  /** The rows of {@code batch} in sorted order, as a new batch owned by the caller. */
  public static VectorSchemaRoot sort(VectorSchemaRoot batch, List<SortKey> keys, BufferAllocator allocator) {
    int[] perm = sortIndices(batch, keys);
    return ColumnGather.gather(batch, perm, 0, perm.length, allocator);
  }

  /** The permutation that sorts {@code batch}: {@code perm[k]} is the row that goes to position {@code k}. */
  public static int[] sortIndices(VectorSchemaRoot batch, List<SortKey> keys) {
    RowOrder order = RowOrder.of(batch, keys);
    int n = batch.getRowCount();
    if (keys.size() == 1 && order.columns.getFirst().longs != null) {
      return radixSort(order.columns.getFirst(), keys.getFirst().descending(), n);
    }
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    mergeSort(perm, new int[n], 0, n, order);
    return perm;
  }

  /**
   * {@code count} rows of the key columns drawn uniformly with replacement, for range boundaries; a new batch owned
   * by the caller holding only the key columns.
   */
  public static VectorSchemaRoot sample(
      VectorSchemaRoot batch, List<SortKey> keys, int count, SplittableRandom rng, BufferAllocator allocator) {
    int n = batch.getRowCount();
    int m = n == 0 ? 0 : count;
    int[] rows = new int[m];
    for (int i = 0; i < m; i++) {
      rows[i] = rng.nextInt(n);
    }
    List<FieldVector> out = new ArrayList<>(keys.size());
    try {
      for (SortKey k : keys) {
        FieldVector v = KeyColumns.vector(batch, k.column());
        out.add(ColumnGather.gatherColumn(new FieldVector[] {v}, null, rows, 0, m, v.getField(), allocator));
      }
    } catch (RuntimeException e) {
      out.forEach(FieldVector::close);
      throw e;
    }
    return new VectorSchemaRoot(out.stream().map(FieldVector::getField).toList(), out, m);
  }

  static long sortableImage(KeyColumn c, long v) {
    return switch (c.kind) {
      case UNSIGNED -> v ^ Long.MIN_VALUE;
      case FLOAT -> {
        if (c.width == 8) {
          yield v ^ ((v >> 63) & Long.MAX_VALUE);
        }
        int f = (int) v;
        yield (long) (f ^ ((f >> 31) & Integer.MAX_VALUE));
      }
      default -> v;
    };
  }

  private static int[] radixSort(KeyColumn c, boolean descending, int n) {
    long[] keys = new long[n];
    int[] idx = new int[n];
    int m = 0;
    int nullCount = 0;
    int[] nullRows = c.nulls == null ? null : new int[n];
    for (int i = 0; i < n; i++) {
      if (c.nulls != null && c.nulls[i]) {
        nullRows[nullCount++] = i;
        continue;
      }
      long s = sortableImage(c, c.longs[i]);
      // ~s reverses the order while keeping a stable sort stable; flipping the sign bit makes it unsigned-ordered.
      keys[m] = (descending ? ~s : s) ^ Long.MIN_VALUE;
      idx[m++] = i;
    }
    radix(keys, idx, m);
    int[] perm = new int[n];
    if (descending) {
      System.arraycopy(idx, 0, perm, 0, m);
      if (nullCount > 0) {
        System.arraycopy(nullRows, 0, perm, m, nullCount);
      }
    } else {
      if (nullCount > 0) {
        System.arraycopy(nullRows, 0, perm, 0, nullCount);
      }
      System.arraycopy(idx, 0, perm, nullCount, m);
    }
    return perm;
  }

  /** Stable LSD radix sort of {@code keys[0..n)} (as unsigned) carrying {@code idx}; skips constant digits. */
  static void radix(long[] keys, int[] idx, int n) {
    int[][] counts = new int[8][257];
    for (int i = 0; i < n; i++) {
      long k = keys[i];
      for (int d = 0; d < 8; d++) {
        counts[d][(int) ((k >>> (8 * d)) & 0xFF) + 1]++;
      }
    }
    long[] k2 = new long[n];
    int[] i2 = new int[n];
    long[] ks = keys;
    int[] is = idx;
    for (int d = 0; d < 8; d++) {
      int[] cnt = counts[d];
      boolean constant = false;
      for (int b = 1; b <= 256; b++) {
        if (cnt[b] == n) {
          constant = true;
          break;
        }
      }
      if (constant) {
        continue;
      }
      for (int b = 0; b < 256; b++) {
        cnt[b + 1] += cnt[b];
      }
      int shift = 8 * d;
      for (int i = 0; i < n; i++) {
        long k = ks[i];
        int at = cnt[(int) ((k >>> shift) & 0xFF)]++;
        k2[at] = k;
        i2[at] = is[i];
      }
      long[] tk = ks;
      ks = k2;
      k2 = tk;
      int[] ti = is;
      is = i2;
      i2 = ti;
    }
    if (is != idx) {
      System.arraycopy(is, 0, idx, 0, n);
      System.arraycopy(ks, 0, keys, 0, n);
    }
  }

  private static void mergeSort(int[] a, int[] tmp, int from, int to, RowOrder order) {
    if (to - from <= INSERTION_THRESHOLD) {
      for (int i = from + 1; i < to; i++) {
        int v = a[i];
        int j = i - 1;
        while (j >= from && order.compare(a[j], order, v) > 0) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(a, tmp, from, mid, order);
    mergeSort(a, tmp, mid, to, order);
    if (order.compare(a[mid - 1], order, a[mid]) <= 0) {
      return;
    }
    System.arraycopy(a, from, tmp, from, to - from);
    int i = from;
    int j = mid;
    for (int k = from; k < to; k++) {
      if (j >= to || (i < mid && order.compare(tmp[i], order, tmp[j]) <= 0)) {
        a[k] = tmp[i++];
      } else {
        a[k] = tmp[j++];
      }
    }
  }
}
