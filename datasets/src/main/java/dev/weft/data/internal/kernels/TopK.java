package dev.weft.data.internal.kernels;

import dev.weft.data.BatchFunction;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The first {@code k} rows of a block in sort order: the map side of a sort followed by a limit. Each task keeps
 * at most {@code k} rows of its block, so the sort's exchange moves at most {@code k} rows per block and the global
 * sort merges those (Spark's {@code TakeOrderedAndProject}). Stable, as the sort is: among equal keys a block keeps
 * its earliest rows, so the global first {@code k} are among the kept ones. Stateless.
 */
public record TopK(List<SortKey> keys, long k) implements BatchFunction {
  public TopK {
    keys = List.copyOf(keys);
    if (k < 0) {
      throw new IllegalArgumentException("top-k needs k >= 0, got " + k);
    }
  }

  @Override
  public VectorSchemaRoot apply(VectorSchemaRoot batch) {
    int n = batch.getRowCount();
    if (n <= k) {
      return batch;
    }
    int[] perm = Sorter.sortIndices(batch, keys);
    return ColumnGather.gather(batch, perm, 0, (int) k, BatchFunction.allocator(batch));
  }

  /** The name {@code explain()} shows: {@code TopK[10 by x desc, id]}. */
  public String describe() {
    return "TopK[" + k + " by " + keys.stream().map(s -> s.column() + (s.descending() ? " desc" : ""))
        .collect(Collectors.joining(", ")) + "]";
  }
}
