package dev.weft.data.internal.kernels;

import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The two sides of {@code randomShuffle(seed)}: a map task sends each row of its block to a random reducer;
 * a reducer concatenates its pieces and permutes the rows at random. Each step draws from a generator seeded by
 * (seed, block or reducer index), so a seeded shuffle gives the same order on every run whatever the task
 * timing, as long as pieces reach a reducer in block order.
 */
public final class ShuffleExchange {
  private ShuffleExchange() {}

  public static List<VectorSchemaRoot> map(
      VectorSchemaRoot block, int reducers, long seed, int blockIndex, BufferAllocator allocator) {
    return Partitioner.randomPartition(
        block, reducers, new SplittableRandom(seed ^ KeyHash.mix(blockIndex)), allocator);
  }

  public static VectorSchemaRoot reduce(
      List<VectorSchemaRoot> pieces, long seed, int reducerIndex, BufferAllocator allocator) {
    int total = 0;
    for (VectorSchemaRoot p : pieces) {
      total += p.getRowCount();
    }
    int[] src = new int[total];
    int[] rows = new int[total];
    int k = 0;
    for (int p = 0; p < pieces.size(); p++) {
      for (int i = 0; i < pieces.get(p).getRowCount(); i++, k++) {
        src[k] = p;
        rows[k] = i;
      }
    }
    SplittableRandom rng = new SplittableRandom(~seed ^ KeyHash.mix(reducerIndex));
    for (int i = total - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int ts = src[i];
      src[i] = src[j];
      src[j] = ts;
      int tr = rows[i];
      rows[i] = rows[j];
      rows[j] = tr;
    }
    return ColumnGather.gatherMany(pieces.getFirst().getSchema(), pieces, src, rows, total, allocator);
  }
}
