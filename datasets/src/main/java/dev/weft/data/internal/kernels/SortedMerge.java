package dev.weft.data.internal.kernels;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * k-way merge of batches that are each sorted by the same keys into sorted output batches of at most
 * {@code maxRows} rows, with a binary heap of run cursors. Ties keep the order of the inputs (stable across runs
 * in input order). Inputs are only read; the caller owns the outputs.
 */
public final class SortedMerge {
  private SortedMerge() {}

  public static List<VectorSchemaRoot> merge(
      Schema schema, List<VectorSchemaRoot> runs, List<SortKey> keys, int maxRows, BufferAllocator allocator) {
    if (maxRows <= 0) {
      throw new IllegalArgumentException("maxRows must be positive, got " + maxRows);
    }
    int k = runs.size();
    RowOrder[] orders = new RowOrder[k];
    int[] pos = new int[k];
    int[] heap = new int[k];
    int size = 0;
    long total = 0;
    for (int r = 0; r < k; r++) {
      orders[r] = RowOrder.of(runs.get(r), keys);
      total += runs.get(r).getRowCount();
      if (runs.get(r).getRowCount() > 0) {
        heap[size++] = r;
      }
    }
    for (int i = size / 2 - 1; i >= 0; i--) {
      siftDown(heap, i, size, orders, pos);
    }
    List<VectorSchemaRoot> out = new ArrayList<>();
    try {
      int chunk = (int) Math.min(maxRows, Math.max(total, 1));
      int[] src = new int[chunk];
      int[] rows = new int[chunk];
      int filled = 0;
      while (size > 0) {
        int r = heap[0];
        src[filled] = r;
        rows[filled++] = pos[r]++;
        if (pos[r] >= runs.get(r).getRowCount()) {
          heap[0] = heap[--size];
        }
        if (size > 0) {
          siftDown(heap, 0, size, orders, pos);
        }
        if (filled == chunk) {
          out.add(ColumnGather.gatherMany(schema, runs, src, rows, filled, allocator));
          filled = 0;
        }
      }
      if (filled > 0) {
        out.add(ColumnGather.gatherMany(schema, runs, src, rows, filled, allocator));
      }
    } catch (RuntimeException e) {
      out.forEach(VectorSchemaRoot::close);
      throw e;
    }
    return out;
  }

  private static boolean less(int a, int b, RowOrder[] orders, int[] pos) {
    int c = orders[a].compare(pos[a], orders[b], pos[b]);
    return c < 0 || (c == 0 && a < b);
  }

  private static void siftDown(int[] heap, int i, int size, RowOrder[] orders, int[] pos) {
    int v = heap[i];
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) {
        break;
      }
      int m = l + 1 < size && less(heap[l + 1], heap[l], orders, pos) ? l + 1 : l;
      if (!less(heap[m], v, orders, pos)) {
        break;
      }
      heap[i] = heap[m];
      i = m;
    }
    heap[i] = v;
  }
}
