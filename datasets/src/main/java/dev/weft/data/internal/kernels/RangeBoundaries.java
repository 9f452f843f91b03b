package dev.weft.data.internal.kernels;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Range partitioning for a global sort. {@link #fromSample} picks {@code n - 1} boundary rows at even quantiles of
 * a sorted sample of key values (pooled from every map task's {@link Sorter#sample}); {@link #partitionIds} sends a
 * row to the number of boundaries that sort at or before it, so partition {@code p} holds only keys ordered before
 * those of partition {@code p + 1}, and concatenating the sorted partitions gives the global order.
 */
public final class RangeBoundaries {
  private RangeBoundaries() {}

  /** The boundary rows (key columns only, {@code min(n - 1, sample rows)} of them), owned by the caller. */
  public static VectorSchemaRoot fromSample(
      VectorSchemaRoot sample, List<SortKey> keys, int n, BufferAllocator allocator) {
    Partitioner.checkPartitions(n);
    int[] perm = Sorter.sortIndices(sample, keys);
    int m = perm.length;
    int count = m == 0 ? 0 : Math.min(n - 1, m);
    int[] rows = new int[count];
    for (int b = 0; b < count; b++) {
      rows[b] = perm[(int) ((long) (b + 1) * m / (count + 1))];
    }
    return ColumnGather.gather(sample, rows, 0, count, allocator);
  }

  /** The range partition of each row of {@code batch}: an id in {@code [0, boundaries rows]}. */
  public static int[] partitionIds(VectorSchemaRoot batch, List<SortKey> keys, VectorSchemaRoot boundaries) {
    RowOrder rowsOrder = RowOrder.of(batch, keys);
    RowOrder bounds = RowOrder.of(boundaries, keys);
    int b = boundaries.getRowCount();
    int n = batch.getRowCount();
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      int lo = 0;
      int hi = b;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (bounds.compare(mid, rowsOrder, i) <= 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      ids[i] = lo;
    }
    return ids;
  }

  /** Splits {@code batch} into {@code boundaries rows + 1} range partitions. */
  public static List<VectorSchemaRoot> partition(
      VectorSchemaRoot batch, List<SortKey> keys, VectorSchemaRoot boundaries, BufferAllocator allocator) {
    return Partitioner.split(
        batch, partitionIds(batch, keys, boundaries), boundaries.getRowCount() + 1, allocator);
  }
}
