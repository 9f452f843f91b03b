package dev.weft.data.internal.kernels;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The rows of a batch arranged by group, for {@code mapGroups}: {@code order[starts[g] .. starts[g+1])} are the
 * rows of group {@code g} in input order, groups numbered by first appearance. Null keys form their own group.
 * {@link #gatherGroup} copies one group out as a batch; {@link #gatherAll} copies the whole batch in group order
 * (each group contiguous), from which a caller can slice groups without further copies.
 */
public record GroupedRows(int[] order, int[] starts) {
  /** Groups the rows of {@code batch} by {@code keys} with a hash table (no sort). */
  public static GroupedRows of(VectorSchemaRoot batch, List<String> keys) {
    List<KeyColumn> cols = KeyColumns.of(batch, keys);
    int n = batch.getRowCount();
    GroupTable table = GroupTable.create(cols.stream().map(c -> c.field).toList(), Math.max(16, n / 8));
    int[] groups = table.assign(cols, n);
    int g = table.size();
    int[] starts = new int[g + 1];
    for (int i = 0; i < n; i++) {
      starts[groups[i] + 1]++;
    }
    for (int k = 0; k < g; k++) {
      starts[k + 1] += starts[k];
    }
    int[] fill = java.util.Arrays.copyOf(starts, g);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[fill[groups[i]]++] = i;
    }
    return new GroupedRows(order, starts);
  }

  public int groupCount() {
    return starts.length - 1;
  }

  /** Group {@code g}'s rows as a new batch owned by the caller. */
  public VectorSchemaRoot gatherGroup(VectorSchemaRoot batch, int g, BufferAllocator allocator) {
    return ColumnGather.gather(batch, order, starts[g], starts[g + 1] - starts[g], allocator);
  }

  /** The whole batch with each group's rows contiguous (group {@code g} at rows {@code starts[g]..}). */
  public VectorSchemaRoot gatherAll(VectorSchemaRoot batch, BufferAllocator allocator) {
    return ColumnGather.gather(batch, order, 0, order.length, allocator);
  }
}
