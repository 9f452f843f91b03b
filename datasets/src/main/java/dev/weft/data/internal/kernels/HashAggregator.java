package dev.weft.data.internal.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Vectorised hash aggregation. Each batch is processed a column at a time: key columns are read into primitive
 * arrays, a {@link GroupTable} gives every row its group id in one pass, then each aggregate updates its
 * per-group primitive state in a tight loop over (group id, value).
 *
 * <p>One aggregator serves every stage: a single-stage aggregation {@link #add}s raw batches and takes the
 * {@link #result}; a map-side combiner {@link #add}s raw batches and emits {@link #partialResult} (key columns plus
 * state columns, see {@link #partialSchema}); a reducer {@link #merge}s partial batches from every mapper and takes
 * the {@link #result}. Nulls in key columns form their own group; nulls in aggregated columns are skipped (see
 * {@link Aggregate}). With no key columns the aggregation is global and yields exactly one row, even for no input.
 *
 * <p>Not thread-safe: one aggregator per task. It holds only heap state; the batches it returns belong to the
 * caller, and batches passed in are only read.
 */
public final class HashAggregator {
  private final Schema input;
  private final List<String> keys;
  private final List<Field> keyFields;
  private final List<Accumulator> accumulators;
  private final GroupTable table;
  private long rowsIn;

  /**
   * @param input schema of the raw rows (also needed by reducers: it fixes the state and result types)
   * @param keys group-by columns, possibly none
   * @param aggregates what to compute; output names must be distinct from each other and from the keys
   * @param expectedGroups a sizing hint for the hash table (it grows as needed)
   */
  public HashAggregator(Schema input, List<String> keys, List<Aggregate> aggregates, int expectedGroups) {
    this.input = Objects.requireNonNull(input, "input");
    this.keys = List.copyOf(keys);
    if (aggregates.isEmpty() && keys.isEmpty()) {
      throw new IllegalArgumentException("an aggregation needs at least one key or one aggregate");
    }
    this.keyFields = new ArrayList<>(keys.size());
    java.util.Set<String> names = new java.util.HashSet<>();
    for (String k : keys) {
      Field f;
      try {
        f = input.findField(k);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("group-by key '" + k + "' is not a column of " + columnNames(input));
      }
      KeyKind.of(f);
      keyFields.add(f);
      if (!names.add(k)) {
        throw new IllegalArgumentException("group-by key '" + k + "' is listed twice");
      }
    }
    this.accumulators = new ArrayList<>(aggregates.size());
    for (Aggregate a : aggregates) {
      if (!names.add(a.name())) {
        throw new IllegalArgumentException(
            "aggregate output name '" + a.name() + "' clashes with a key or another aggregate; rename it with as()");
      }
      accumulators.add(Accumulator.create(a, input));
    }
    this.table = GroupTable.create(keyFields, Math.max(16, expectedGroups));
    ensureGroups();
  }

  private static List<String> columnNames(Schema s) {
    return s.getFields().stream().map(Field::getName).toList();
  }

  /**
   * Folds raw rows (with the input schema's columns) into the groups, {@link #CHUNK} rows at a time: the heap
   * copies of a column a kernel reads stay small and short-lived (a whole batch of 10^5 rows would make each a
   * humongous object for G1, which then collects far more often).
   */
  public void add(VectorSchemaRoot batch) {
    int n = batch.getRowCount();
    rowsIn += n;
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      if (keys.isEmpty()) {
        // One group: no ids to assign, and accumulators may fold straight from the vectors.
        if (zeros.length < to - from) {
          zeros = new int[CHUNK];
        }
        ensureGroups();
        BatchColumns columns = new BatchColumns(batch, from, to);
        for (Accumulator a : accumulators) {
          a.updateGlobal(zeros, to - from, columns);
        }
        continue;
      }
      int[] groups = table.assign(KeyColumns.ofOrEmpty(batch, keys, from, to), to - from);
      ensureGroups();
      BatchColumns columns = new BatchColumns(batch, from, to);
      for (Accumulator a : accumulators) {
        a.update(groups, to - from, columns);
      }
    }
  }

  /** Group ids of a global aggregation's chunk: all 0, never written. */
  private int[] zeros = new int[0];

  /** Rows folded at a time by {@link #add}: 128 KiB per column as longs. */
  static final int CHUNK = 16_384;

  /** Folds a partial result of another aggregator with the same keys and aggregates into the groups. */
  public void merge(VectorSchemaRoot partial) {
    int n = partial.getRowCount();
    rowsIn += n;
    int[] groups = table.assign(KeyColumns.ofOrEmpty(partial, keys), n);
    ensureGroups();
    BatchColumns columns = new BatchColumns(partial);
    for (Accumulator a : accumulators) {
      a.merge(groups, n, columns);
    }
  }

  private void ensureGroups() {
    int g = table.size();
    for (Accumulator a : accumulators) {
      a.ensureGroups(g);
    }
  }

  /** Number of groups so far. */
  public int groupCount() {
    return table.size();
  }

  /**
   * Rows folded in so far (raw and partial). {@code groupCount() / rowsIn()} near 1 means a map-side combiner is
   * not reducing anything; an operator should then send raw rows to the reducers (which {@link #add} them, mixed
   * freely with {@link #merge}d partials) instead of paying for aggregation twice.
   */
  public long rowsIn() {
    return rowsIn;
  }

  /** Schema of {@link #partialResult}: the key columns, then each aggregate's state columns. */
  public Schema partialSchema() {
    List<Field> fields = new ArrayList<>(keyFields);
    for (Accumulator a : accumulators) {
      fields.addAll(a.partialFields());
    }
    return new Schema(fields);
  }

  /** One row per group with the partial states, for a reducer to {@link #merge}. */
  public VectorSchemaRoot partialResult(BufferAllocator allocator) {
    return build(allocator, true);
  }

  /** One row per group with the final aggregate values, in order of first appearance of each group. */
  public VectorSchemaRoot result(BufferAllocator allocator) {
    return build(allocator, false);
  }

  private VectorSchemaRoot build(BufferAllocator allocator, boolean partial) {
    int groups = table.size();
    List<FieldVector> out = new ArrayList<>();
    try {
      out.addAll(table.keyVectors(allocator));
      for (Accumulator a : accumulators) {
        if (partial) {
          out.addAll(a.partial(groups, allocator));
        } else {
          out.add(a.result(groups, allocator));
        }
      }
    } catch (RuntimeException e) {
      out.forEach(FieldVector::close);
      throw e;
    }
    return new VectorSchemaRoot(out.stream().map(FieldVector::getField).toList(), out, groups);
  }

  /** Input schema this aggregator was built for. */
  public Schema inputSchema() {
    return input;
  }
}
