package dev.weft.data.internal.kernels;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Looks key columns up by name, with an error that names the missing column and the columns there are. */
final class KeyColumns {
  private KeyColumns() {}

  static List<KeyColumn> of(VectorSchemaRoot batch, List<String> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("at least one key column is needed");
    }
    List<KeyColumn> out = new ArrayList<>(names.size());
    for (String name : names) {
      out.add(KeyColumn.of(vector(batch, name)));
    }
    return out;
  }

  /** Like {@link #of}, but an empty key list is allowed (global aggregation). */
  static List<KeyColumn> ofOrEmpty(VectorSchemaRoot batch, List<String> names) {
    return names.isEmpty() ? List.of() : of(batch, names);
  }

  /** Like {@link #ofOrEmpty(VectorSchemaRoot, List)} over rows {@code [from, to)} of the batch. */
  static List<KeyColumn> ofOrEmpty(VectorSchemaRoot batch, List<String> names, int from, int to) {
    List<KeyColumn> out = new ArrayList<>(names.size());
    for (String name : names) {
      out.add(KeyColumn.of(vector(batch, name), from, to));
    }
    return out;
  }

  static FieldVector vector(VectorSchemaRoot batch, String name) {
    FieldVector v = batch.getVector(name);
    if (v == null) {
      List<String> have = batch.getSchema().getFields().stream().map(f -> f.getName()).toList();
      throw new IllegalArgumentException("no column '" + name + "' in batch with columns " + have);
    }
    return v;
  }
}
