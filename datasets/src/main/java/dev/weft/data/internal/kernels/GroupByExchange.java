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
  /**
   * Schema metadata key of a batch of partial states made by a map side fused into the producing tasks: the JSON of
   * the raw rows' schema. Such a batch is mapped as states (split by key hash, never aggregated again).
   */
  public static final String PARTIAL_INPUT_SCHEMA = "weft.partialAggregate.inputSchema";

  private GroupByExchange() {}

  /** The raw input schema (JSON) of a batch of partial states, or null when {@code batch} holds raw rows. */
  public static String partialInputSchema(Schema batch) {
    java.util.Map<String, String> meta = batch.getCustomMetadata();
    return meta == null ? null : meta.get(PARTIAL_INPUT_SCHEMA);
  }

  /** One piece per reducer from {@code block}; with no keys (a global aggregate) {@code reducers} must be 1. */
  public static List<VectorSchemaRoot> map(VectorSchemaRoot block, List<String> keys, List<Aggregate> aggregates,
      int reducers, boolean combine, BufferAllocator allocator) {
    if (keys.isEmpty() && reducers != 1) {
      throw new IllegalArgumentException("a global aggregate has one reducer, got " + reducers);
    }
    if (!combine || partialInputSchema(block.getSchema()) != null) {
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
   * An empty reducer-side aggregator for a streaming reducer, which {@link #fold}s pieces into it one at a time
   * (each piece can be released right after) and ends with {@link HashAggregator#partialResult} for its next step
   * or {@link HashAggregator#result} for the final groups.
   */
  public static HashAggregator reducer(Schema input, List<String> keys, List<Aggregate> aggregates) {
    return new HashAggregator(input, keys, aggregates, 1024);
  }

  /** Folds one piece, partial states or raw rows, into {@code reducer}; the piece is only read. */
  public static void fold(HashAggregator reducer, VectorSchemaRoot piece) {
    // fields only: partial states from a fused map side carry metadata
    if (piece.getSchema().getFields().equals(reducer.partialSchema().getFields())) {
      reducer.merge(piece);
    } else {
      reducer.add(piece);
    }
  }

  private static HashAggregator fold(List<VectorSchemaRoot> pieces, Schema input, List<String> keys,
      List<Aggregate> aggregates) {
    HashAggregator aggregator = reducer(input, keys, aggregates);
    for (VectorSchemaRoot piece : pieces) {
      fold(aggregator, piece);
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
