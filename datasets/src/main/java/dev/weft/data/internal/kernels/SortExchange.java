package dev.weft.data.internal.kernels;

import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The steps of a global sort by sampled range partitioning: every map task {@link #sample}s its block; the
 * driver pools the samples into {@link #boundaries}; each map task then sorts its block and cuts it at the
 * boundaries ({@link #map}), so every piece is sorted; reducer {@code r} merges its sorted pieces
 * ({@link #reduce}), and the reducers' outputs in reducer order are the global order.
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

  /** Sorted pieces of {@code block}, one per range (boundary rows + 1 of them). */
  public static List<VectorSchemaRoot> map(
      VectorSchemaRoot block, List<SortKey> keys, VectorSchemaRoot boundaries, BufferAllocator allocator) {
    try (VectorSchemaRoot sorted = Sorter.sort(block, keys, allocator)) {
      // Splitting keeps the relative order of rows, so each piece stays sorted.
      return RangeBoundaries.partition(sorted, keys, boundaries, allocator);
    }
  }

  /** One reducer's sorted output, in batches of at most {@code maxRows}. */
  public static List<VectorSchemaRoot> reduce(
      List<VectorSchemaRoot> pieces, List<SortKey> keys, int maxRows, BufferAllocator allocator) {
    if (pieces.isEmpty()) {
      return List.of();
    }
    return SortedMerge.merge(pieces.getFirst().getSchema(), pieces, keys, maxRows, allocator);
  }
}
