package dev.weft.data.internal.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The steps of a global sort by sampled range partitioning (Spark's order: partition by range, then sort within
 * each range): every map task {@link #sample}s its block; the driver pools the samples into {@link #boundaries};
 * each map task then splits its block at the boundaries ({@link #map}), keeping the rows' order; reducer
 * {@code r} sorts the rows of its pieces together ({@link #reduce}), and the reducers' outputs in reducer order are
 * the global order. Each row is copied twice (into its piece, into the output), with the map's copy in row order,
 * which the memory system streams; sorting each block on the map side would add a third, random-access copy and
 * leave the reducers a k-way merge. The sort is stable: equal keys keep the order of blocks and of rows in them.
 */
public final class SortExchange {
  private SortExchange() {}

  public static VectorSchemaRoot sample(
      VectorSchemaRoot block, List<SortKey> keys, int count, long seed, int blockIndex, BufferAllocator allocator) {
    return Sorter.sample(block, keys, count, new SplittableRandom(seed ^ KeyHash.mix(blockIndex)), allocator);
  }

  /** {@code reducers - 1} boundary rows (fewer if the samples are smaller) from every block's sample. */
  public static VectorSchemaRoot boundaries(
      List<VectorSchemaRoot> samples, List<SortKey> keys, int reducers, BufferAllocator allocator) {
    try (VectorSchemaRoot pooled = ColumnGather.concat(samples.getFirst().getSchema(), samples, allocator)) {
      return RangeBoundaries.fromSample(pooled, keys, reducers, allocator);
    }
  }

  /** Pieces of {@code block}, one per range (boundary rows + 1 of them), each in the block's row order. */
  public static List<VectorSchemaRoot> map(
      VectorSchemaRoot block, List<SortKey> keys, VectorSchemaRoot boundaries, BufferAllocator allocator) {
    return RangeBoundaries.partition(block, keys, boundaries, allocator);
  }

  /**
   * One reducer's sorted output, in batches of at most {@code maxRows}: the key columns of all pieces are sorted
   * together (a stable radix sort of their order images), then every column is gathered from the pieces in that
   * order.
   */
  public static List<VectorSchemaRoot> reduce(
      List<VectorSchemaRoot> pieces, List<SortKey> keys, int maxRows, BufferAllocator allocator) {
    if (maxRows <= 0) {
      throw new IllegalArgumentException("maxRows must be positive, got " + maxRows);
    }
    if (pieces.isEmpty()) {
      return List.of();
    }
    Schema schema = pieces.getFirst().getSchema();
    List<Field> keyFields = new ArrayList<>();
    for (SortKey k : keys) {
      keyFields.add(schema.findField(k.column()));
    }
    List<VectorSchemaRoot> keyViews = new ArrayList<>();
    int total = 0;
    for (VectorSchemaRoot p : pieces) {
      List<FieldVector> columns = new ArrayList<>();
      for (SortKey k : keys) {
        columns.add(p.getVector(k.column()));
      }
      // a view over the piece's own vectors: never closed here, the piece owns them
      keyViews.add(new VectorSchemaRoot(keyFields, columns, p.getRowCount()));
      total += p.getRowCount();
    }
    int[] perm;
    try (VectorSchemaRoot allKeys = ColumnGather.concat(new Schema(keyFields), keyViews, allocator)) {
      perm = Sorter.sortIndices(allKeys, keys);
    }
    int[] pieceOf = new int[total];
    int[] rowOf = new int[total];
    for (int p = 0, k = 0; p < pieces.size(); p++) {
      for (int i = 0, n = pieces.get(p).getRowCount(); i < n; i++, k++) {
        pieceOf[k] = p;
        rowOf[k] = i;
      }
    }
    List<VectorSchemaRoot> out = new ArrayList<>();
    try {
      int chunk = Math.min(maxRows, Math.max(total, 1));
      int[] src = new int[chunk];
      int[] rows = new int[chunk];
      for (int from = 0; from < total; from += chunk) {
        int count = Math.min(chunk, total - from);
        for (int k = 0; k < count; k++) {
          int g = perm[from + k];
          src[k] = pieceOf[g];
          rows[k] = rowOf[g];
        }
        out.add(ColumnGather.gatherMany(schema, pieces, src, rows, count, allocator));
      }
    } catch (RuntimeException | Error e) {
      out.forEach(VectorSchemaRoot::close);
      throw e;
    }
    return out;
  }
}
