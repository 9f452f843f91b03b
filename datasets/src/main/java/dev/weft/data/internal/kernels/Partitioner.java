package dev.weft.data.internal.kernels;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Splits a batch into one batch per reducer: first a partition id per row (by key hash, by range boundaries, or at
 * random), then each column is scattered to the partitions in one pass (or gathered per partition, for types
 * without a scatter). Rows keep
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

  /**
   * Splits {@code batch} by {@code ids[row]} (each in {@code [0, n)}) into {@code n} batches. Fixed-width and
   * utf8/binary columns are scattered in one pass over the input (reads in order, each partition's output written
   * in order), which the memory system streams; other columns are gathered per partition.
   */
  public static List<VectorSchemaRoot> split(VectorSchemaRoot batch, int[] ids, int n, BufferAllocator allocator) {
    checkPartitions(n);
    int rows = batch.getRowCount();
    int[] counts = new int[n];
    for (int i = 0; i < rows; i++) {
      int p = ids[i];
      if (p < 0 || p >= n) {
        throw new IllegalArgumentException("row " + i + " has partition id " + p + ", outside [0, " + n + ")");
      }
      counts[p]++;
    }
    List<List<FieldVector>> columns = new ArrayList<>(n);
    for (int p = 0; p < n; p++) {
      columns.add(new ArrayList<>());
    }
    int[] order = null;
    int[] starts = null;
    try {
      for (FieldVector v : batch.getFieldVectors()) {
        FieldVector[] parts;
        if (scatters(v)) {
          parts = scatter(v, ids, rows, counts, allocator);
        } else {
          if (order == null) {
            starts = new int[n + 1];
            for (int p = 0; p < n; p++) {
              starts[p + 1] = starts[p] + counts[p];
            }
            order = new int[rows];
            int[] fill = starts.clone();
            for (int i = 0; i < rows; i++) {
              order[fill[ids[i]]++] = i;
            }
          }
          parts = new FieldVector[n];
          try {
            for (int p = 0; p < n; p++) {
              parts[p] = ColumnGather.gatherColumn(
                  new FieldVector[] {v}, null, order, starts[p], counts[p], v.getField(), allocator);
            }
          } catch (RuntimeException e) {
            closeAll(parts);
            throw e;
          }
        }
        for (int p = 0; p < n; p++) {
          columns.get(p).add(parts[p]);
        }
      }
    } catch (RuntimeException e) {
      columns.forEach(c -> c.forEach(FieldVector::close));
      throw e;
    }
    List<VectorSchemaRoot> out = new ArrayList<>(n);
    for (int p = 0; p < n; p++) {
      out.add(new VectorSchemaRoot(batch.getSchema().getFields(), columns.get(p), counts[p]));
    }
    return out;
  }

  private static boolean scatters(FieldVector v) {
    return (v instanceof BaseFixedWidthVector && !(v instanceof BitVector))
        || v instanceof VarCharVector || v instanceof VarBinaryVector;
  }

  private static void closeAll(FieldVector[] vectors) {
    for (FieldVector x : vectors) {
      if (x != null) {
        x.close();
      }
    }
  }

  /** Column {@code v} split by {@code ids}: one new vector per partition, rows in input order. */
  private static FieldVector[] scatter(FieldVector v, int[] ids, int rows, int[] counts, BufferAllocator allocator) {
    int n = counts.length;
    FieldVector[] out = new FieldVector[n];
    try {
      for (int p = 0; p < n; p++) {
        out[p] = v.getField().createVector(allocator);
      }
      if (v instanceof BaseFixedWidthVector f) {
        scatterFixed(f, ids, rows, counts, out);
      } else {
        scatterVariable((BaseVariableWidthVector) v, ids, rows, counts, out);
      }
      MemorySegment[] valid = new MemorySegment[n];
      for (int p = 0; p < n; p++) {
        valid[p] = Segments.of(out[p].getValidityBuffer());
      }
      if (v.getNullCount() == 0) {
        for (int p = 0; p < n; p++) {
          Segments.setAll(valid[p], counts[p]);
        }
      } else {
        MemorySegment src = Segments.of(v.getValidityBuffer());
        int[] fill = new int[n];
        for (int i = 0; i < rows; i++) {
          int p = ids[i];
          int k = fill[p]++;
          if (Segments.bit(src, i)) {
            Segments.setBit(valid[p], k);
          }
        }
      }
      for (int p = 0; p < n; p++) {
        out[p].setValueCount(counts[p]);
      }
      return out;
    } catch (RuntimeException e) {
      closeAll(out);
      throw e;
    }
  }

  private static void scatterFixed(BaseFixedWidthVector v, int[] ids, int rows, int[] counts, FieldVector[] out) {
    int n = counts.length;
    int width = v.getTypeWidth();
    MemorySegment src = Segments.of(v.getDataBuffer());
    MemorySegment[] dst = new MemorySegment[n];
    for (int p = 0; p < n; p++) {
      ((BaseFixedWidthVector) out[p]).allocateNew(counts[p]);
      dst[p] = Segments.of(((BaseFixedWidthVector) out[p]).getDataBuffer());
    }
    int[] fill = new int[n];
    switch (width) {
      case 8 -> {
        for (int i = 0; i < rows; i++) {
          int p = ids[i];
          dst[p].set(Segments.LONG, 8L * fill[p]++, src.get(Segments.LONG, 8L * i));
        }
      }
      case 4 -> {
        for (int i = 0; i < rows; i++) {
          int p = ids[i];
          dst[p].set(Segments.INT, 4L * fill[p]++, src.get(Segments.INT, 4L * i));
        }
      }
      default -> {
        for (int i = 0; i < rows; i++) {
          int p = ids[i];
          Segments.copy(src, (long) width * i, dst[p], (long) width * fill[p]++, width);
        }
      }
    }
  }

  private static void scatterVariable(BaseVariableWidthVector v, int[] ids, int rows, int[] counts,
      FieldVector[] out) {
    int n = counts.length;
    MemorySegment offsets = Segments.of(v.getOffsetBuffer());
    MemorySegment data = Segments.of(v.getDataBuffer());
    long[] bytes = new long[n];
    for (int i = 0; i < rows; i++) {
      bytes[ids[i]] += offsets.get(Segments.INT, 4L * i + 4) - offsets.get(Segments.INT, 4L * i);
    }
    MemorySegment[] outOffsets = new MemorySegment[n];
    MemorySegment[] outData = new MemorySegment[n];
    for (int p = 0; p < n; p++) {
      if (bytes[p] > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("column '" + v.getName() + "': partition " + p + " gets " + bytes[p]
            + " bytes, more than a utf8/binary column holds (2 GiB); use smaller batches");
      }
      BaseVariableWidthVector t = (BaseVariableWidthVector) out[p];
      t.allocateNew(Math.max(1, bytes[p]), counts[p]);
      outOffsets[p] = Segments.of(t.getOffsetBuffer());
      outData[p] = Segments.of(t.getDataBuffer());
      outOffsets[p].set(Segments.INT, 0, 0);
    }
    int[] fill = new int[n];
    int[] at = new int[n];
    for (int i = 0; i < rows; i++) {
      int p = ids[i];
      int start = offsets.get(Segments.INT, 4L * i);
      int len = offsets.get(Segments.INT, 4L * i + 4) - start;
      int end = at[p] + len;
      if (len > 0) {
        Segments.copy(data, start, outData[p], at[p], len);
      }
      at[p] = end;
      outOffsets[p].set(Segments.INT, 4L * ++fill[p], end);
    }
    for (int p = 0; p < n; p++) {
      ((BaseVariableWidthVector) out[p]).setLastSet(counts[p] - 1);
    }
  }

  static void checkPartitions(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("number of partitions must be positive, got " + n);
    }
  }
}
