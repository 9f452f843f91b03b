package dev.weft.data.internal.kernels;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The two sides of a shuffled group-by, as pure functions over batches for the operator's map and reduce tasks.
 * A map task aggregates its block (the combiner) and splits the partial states by key hash into one piece per
 * reducer — or, when the combiner is not reducing (see {@link HashAggregator#rowsIn}), splits the raw rows. A
 * reducer folds every piece it receives, partial or raw, in any order, and emits the final groups. Pieces and
 * results belong to the caller; inputs are only read.
 */
public final class GroupByExchange {
  private GroupByExchange() {}

  /** One piece per reducer from {@code block}; with no keys (a global aggregate) {@code reducers} must be 1. */
  public static List<VectorSchemaRoot> map(VectorSchemaRoot block, List<String> keys, List<Aggregate> aggregates,
      int reducers, boolean combine, BufferAllocator allocator) {
    if (keys.isEmpty() && reducers != 1) {
      throw new IllegalArgumentException("a global aggregate has one reducer, got " + reducers);
    }
    if (!combine) {
      return keys.isEmpty()
          ? List.of(ColumnGather.gather(block, identity(block.getRowCount()), 0, block.getRowCount(), allocator))
          : Partitioner.hashPartition(block, keys, reducers, allocator);
    }
    HashAggregator combiner = new HashAggregator(block.getSchema(), keys, aggregates, 1024);
    combiner.add(block);
    try (VectorSchemaRoot partial = combiner.partialResult(allocator)) {
      return keys.isEmpty()
          ? List.of(ColumnGather.gather(partial, identity(partial.getRowCount()), 0, partial.getRowCount(), allocator))
          : Partitioner.hashPartition(partial, keys, reducers, allocator);
    }
  }

  /** The final groups of one reducer from all the pieces sent to it. */
  public static VectorSchemaRoot reduce(List<VectorSchemaRoot> pieces, Schema input, List<String> keys,
      List<Aggregate> aggregates, BufferAllocator allocator) {
    return fold(pieces, input, keys, aggregates).result(allocator);
  }

  /**
   * Folds {@code pieces} (partial states or raw rows, in any mix) into one partial state: a streaming reducer's
   * step, whose result it folds again with the next pieces; {@link #reduce} of the last state gives the groups.
   */
  public static VectorSchemaRoot combine(List<VectorSchemaRoot> pieces, Schema input, List<String> keys,
      List<Aggregate> aggregates, BufferAllocator allocator) {
    return fold(pieces, input, keys, aggregates).partialResult(allocator);
  }

  private static HashAggregator fold(List<VectorSchemaRoot> pieces, Schema input, List<String> keys,
      List<Aggregate> aggregates) {
    int rows = 0;
    for (VectorSchemaRoot p : pieces) {
      rows += p.getRowCount();
    }
    HashAggregator aggregator = new HashAggregator(input, keys, aggregates, Math.max(1024, Math.min(rows, 1 << 16)));
    Schema partial = aggregator.partialSchema();
    for (VectorSchemaRoot piece : pieces) {
      if (piece.getSchema().equals(partial)) {
        aggregator.merge(piece);
      } else {
        aggregator.add(piece);
      }
    }
    return aggregator;
  }

  static int[] identity(int n) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    return rows;
  }
}
