package dev.weft.data.internal.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The two sides of a shuffled hash join: map tasks split each side's blocks by the hash of that side's keys
 * ({@link #map}; int32 and int64 keys hash alike), and reducer {@code r} joins the pieces of partition {@code r}
 * of both sides ({@link #reduce}): it builds on the side the spec names and probes with the other. A broadcast
 * join skips the shuffle: build one {@link HashJoin} on the small side and call {@link HashJoin#probe} per block.
 */
public final class JoinExchange {
  private JoinExchange() {}

  public static List<VectorSchemaRoot> map(
      VectorSchemaRoot block, List<String> keys, int reducers, BufferAllocator allocator) {
    return Partitioner.hashPartition(block, keys, reducers, allocator);
  }

  /**
   * A skew-aware split of a probe-side block: rows of {@code heavy} keys are spread at random over every reducer,
   * the rest go by key hash. The build side must then be split with {@link #mapBuild} and the same heavy keys.
   */
  public static List<VectorSchemaRoot> mapProbe(VectorSchemaRoot block, List<String> keys, int reducers,
      HeavyKeys heavy, long seed, BufferAllocator allocator) {
    if (heavy == null || heavy.size() == 0) {
      return map(block, keys, reducers, allocator);
    }
    int[] ids = heavy.spreadPartitionIds(block, keys, reducers, reducers, new SplittableRandom(seed));
    return Partitioner.split(block, ids, reducers, allocator);
  }

  /** The build side's split for {@link #mapProbe}: heavy keys' rows are copied to every reducer. */
  public static List<VectorSchemaRoot> mapBuild(
      VectorSchemaRoot block, List<String> keys, int reducers, HeavyKeys heavy, BufferAllocator allocator) {
    if (heavy == null || heavy.size() == 0) {
      return map(block, keys, reducers, allocator);
    }
    return heavy.replicatePartition(block, keys, reducers, reducers, allocator);
  }

  public static List<VectorSchemaRoot> reduce(JoinSpec spec, Schema left, Schema right,
      List<VectorSchemaRoot> leftPieces, List<VectorSchemaRoot> rightPieces, int maxRows, BufferAllocator allocator) {
    List<VectorSchemaRoot> out = new ArrayList<>();
    try (HashJoin join = new HashJoin(
        spec, left, right, spec.buildLeft() ? leftPieces : rightPieces, maxRows, allocator)) {
      for (VectorSchemaRoot p : spec.buildLeft() ? rightPieces : leftPieces) {
        out.addAll(join.probe(p, allocator));
      }
      out.addAll(join.finish(allocator));
      return out;
    } catch (RuntimeException e) {
      out.forEach(VectorSchemaRoot::close);
      throw e;
    }
  }
}
