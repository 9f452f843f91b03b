package dev.weft.data.internal.kernels;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/** The order of rows by a list of {@link SortKey}s, between rows of the same or of different batches. */
final class RowOrder {
  final List<KeyColumn> columns;
  private final boolean[] descending;

  private RowOrder(List<KeyColumn> columns, boolean[] descending) {
    this.columns = columns;
    this.descending = descending;
  }

  static RowOrder of(VectorSchemaRoot batch, List<SortKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one sort key is needed");
    }
    List<KeyColumn> cols = new ArrayList<>(keys.size());
    boolean[] desc = new boolean[keys.size()];
    for (int k = 0; k < keys.size(); k++) {
      cols.add(KeyColumn.of(KeyColumns.vector(batch, keys.get(k).column())));
      desc[k] = keys.get(k).descending();
    }
    return new RowOrder(cols, desc);
  }

  /** Negative, zero or positive as row {@code i} here sorts before, with, or after row {@code j} of {@code o}. */
  int compare(int i, RowOrder o, int j) {
    for (int k = 0; k < descending.length; k++) {
      KeyColumn a = columns.get(k);
      KeyColumn b = o.columns.get(k);
      boolean na = a.isNull(i);
      boolean nb = b.isNull(j);
      int c;
      if (na || nb) {
        c = na == nb ? 0 : (na ? -1 : 1);
      } else {
        c = a.compareAt(i, b, j);
      }
      if (c != 0) {
        return descending[k] ? -c : c;
      }
    }
    return 0;
  }
}
