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
    int[] rows = select(batch, keys, (int) k);
    return ColumnGather.gather(batch, rows, 0, rows.length, BatchFunction.allocator(batch));
  }

  /**
   * The first {@code k} rows of {@code batch} in sort order (ties by row position), found with a bounded heap:
   * one comparison with the heap's worst row for most rows, instead of sorting the whole block.
   */
  static int[] select(VectorSchemaRoot batch, List<SortKey> keys, int k) {
    RowOrder order = RowOrder.of(batch, keys);
    int n = batch.getRowCount();
    int[] heap = new int[k]; // a max-heap: heap[0] is the worst row kept
    int size = 0;
    for (int i = 0; i < n; i++) {
      if (size < k) {
        heap[size] = i;
        up(heap, size++, order);
      } else if (k > 0 && worse(order, heap[0], i)) {
        heap[0] = i;
        down(heap, 0, size, order);
      }
    }
    Integer[] kept = new Integer[size];
    for (int j = 0; j < size; j++) {
      kept[j] = heap[j];
    }
    java.util.Arrays.sort(kept, (a, b) -> worse(order, a, b) ? 1 : worse(order, b, a) ? -1 : 0);
    int[] out = new int[size];
    for (int j = 0; j < size; j++) {
      out[j] = kept[j];
    }
    return out;
  }

  /** Whether row {@code a} sorts after row {@code b} (ties: the later row is the worse). */
  private static boolean worse(RowOrder order, int a, int b) {
    int c = order.compare(a, order, b);
    return c > 0 || c == 0 && a > b;
  }

  private static void up(int[] heap, int at, RowOrder order) {
    while (at > 0) {
      int parent = (at - 1) >>> 1;
      if (!worse(order, heap[at], heap[parent])) {
        return;
      }
      int t = heap[at];
      heap[at] = heap[parent];
      heap[parent] = t;
      at = parent;
    }
  }

  private static void down(int[] heap, int at, int size, RowOrder order) {
    while (true) {
      int l = 2 * at + 1;
      if (l >= size) {
        return;
      }
      int worst = l + 1 < size && worse(order, heap[l + 1], heap[l]) ? l + 1 : l;
      if (!worse(order, heap[worst], heap[at])) {
        return;
      }
      int t = heap[at];
      heap[at] = heap[worst];
      heap[worst] = t;
      at = worst;
    }
  }

  /** The name {@code explain()} shows: {@code TopK[10 by x desc, id]}. */
  public String describe() {
    return "TopK[" + k + " by " + keys.stream().map(s -> s.column() + (s.descending() ? " desc" : ""))
        .collect(Collectors.joining(", ")) + "]";
  }
}
