package dev.weft.data.internal.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Splits a batch into one batch per reducer: first a partition id per row (by key hash, by range boundaries, or at
 * random), then a counting sort of row indices by partition and a column-at-a-time gather per partition. Rows keep
 * their relative order inside each partition. The returned batches belong to the caller (one per partition, some
 * possibly empty); the input is only read.
 */
public final class Partitioner {
  private Partitioner() {}

  /** Partition of each row: {@code hash(keys) mod n}, the same on every node for the same key values. */
  public static int[] hashPartitionIds(VectorSchemaRoot batch, List<String> keys, int n) {
    checkPartitions(n);
    List<KeyColumn> cols = KeyColumns.of(batch, keys);
    int rows = batch.getRowCount();
    long[] h = KeyHash.hashRows(cols, rows);
    int[] ids = new int[rows];
    for (int i = 0; i < rows; i++) {
      // The high bits feed the reducer choice; hash tables use the low bits, so the two stay independent.
      ids[i] = (int) (((h[i] >>> 32) * n) >>> 32);
    }
    return ids;
  }

  /** A uniformly random partition per row from {@code rng} (seed it per block for a reproducible shuffle). */
  public static int[] randomPartitionIds(int rows, int n, SplittableRandom rng) {
    checkPartitions(n);
    int[] ids = new int[rows];
    for (int i = 0; i < rows; i++) {
      ids[i] = rng.nextInt(n);
    }
    return ids;
  }

  /** Splits {@code batch} by hash of {@code keys} into {@code n} batches. */
  public static List<VectorSchemaRoot> hashPartition(
      VectorSchemaRoot batch, List<String> keys, int n, BufferAllocator allocator) {
    return split(batch, hashPartitionIds(batch, keys, n), n, allocator);
  }

  /** Splits {@code batch} into {@code n} batches at random, drawing from {@code rng}. */
  public static List<VectorSchemaRoot> randomPartition(
      VectorSchemaRoot batch, int n, SplittableRandom rng, BufferAllocator allocator) {
    return split(batch, randomPartitionIds(batch.getRowCount(), n, rng), n, allocator);
  }

  /** Splits {@code batch} by {@code ids[row]} (each in {@code [0, n)}) into {@code n} batches. */
  public static List<VectorSchemaRoot> split(VectorSchemaRoot batch, int[] ids, int n, BufferAllocator allocator) {
    checkPartitions(n);
    int rows = batch.getRowCount();
    int[] starts = new int[n + 1];
    for (int i = 0; i < rows; i++) {
      int p = ids[i];
      if (p < 0 || p >= n) {
        throw new IllegalArgumentException("row " + i + " has partition id " + p + ", outside [0, " + n + ")");
      }
      starts[p + 1]++;
    }
    for (int p = 0; p < n; p++) {
      starts[p + 1] += starts[p];
    }
    int[] order = new int[rows];
    int[] fill = starts.clone();
    for (int i = 0; i < rows; i++) {
      order[fill[ids[i]]++] = i;
    }
    List<VectorSchemaRoot> out = new ArrayList<>(n);
    try {
      for (int p = 0; p < n; p++) {
        out.add(ColumnGather.gather(batch, order, starts[p], starts[p + 1] - starts[p], allocator));
      }
    } catch (RuntimeException e) {
      out.forEach(VectorSchemaRoot::close);
      throw e;
    }
    return out;
  }

  static void checkPartitions(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("number of partitions must be positive, got " + n);
    }
  }
}
