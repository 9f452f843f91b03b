package dev.weft.data.internal.kernels;

import java.util.HashMap;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The columns of rows {@code [from, to)} of one input batch as the accumulators read them, each read at most once
 * however many aggregates use it (sum, mean and std of one column share one copy). Index 0 of a view is row
 * {@code from}; code reading a {@link #vector} directly adds {@link #from}.
 */
final class BatchColumns {
  final VectorSchemaRoot batch;
  final int from;
  final int to;
  private final Map<String, KeyColumn> views = new HashMap<>();
  private final Map<String, double[]> doubles = new HashMap<>();

  BatchColumns(VectorSchemaRoot batch) {
    this(batch, 0, batch.getRowCount());
  }

  BatchColumns(VectorSchemaRoot batch, int from, int to) {
    this.batch = batch;
    this.from = from;
    this.to = to;
  }

  FieldVector vector(String name, Aggregate forAggregate) {
    FieldVector v = batch.getVector(name);
    if (v == null) {
      throw new IllegalArgumentException(
          "aggregate '" + forAggregate.name() + "': no column '" + name + "' in batch with columns "
              + batch.getSchema().getFields().stream().map(f -> f.getName()).toList());
    }
    return v;
  }

  KeyColumn view(String name, Aggregate forAggregate) {
    KeyColumn c = views.get(name);
    if (c == null) {
      c = KeyColumn.of(vector(name, forAggregate), from, to);
      views.put(name, c);
    }
    return c;
  }

  double[] doubles(String name, Aggregate forAggregate) {
    double[] d = doubles.get(name);
    if (d == null) {
      d = Accumulator.asDoubles(view(name, forAggregate));
      doubles.put(name, d);
    }
    return d;
  }
}
