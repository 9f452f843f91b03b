package dev.weft.data.internal.kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An equi-join by hashing: the build side's batches are concatenated into one batch owned by this object and
 * indexed by a {@link GroupTable} (one group per distinct key, rows of a group chained in input order; rows with a
 * null key are not indexed and so never match); then each probe batch is looked up a column at a time and the
 * matched (left row, right row) index pairs are gathered into output batches a column at a time. Build-side rows
 * that the join type keeps although unmatched (outer, and semi/anti on the build side) come out of
 * {@link #finish} after the last probe.
 *
 * <p>The same object serves a shuffled hash join (one per reducer partition) and a broadcast join (built once from
 * the small side, probed with every block). {@link #probe} may be called from several threads at once; {@link
 * #finish} must happen after every probe has returned. Output batches belong to the caller; {@link #close} frees
 * the build batch. Output order: probe order, and for each probe row its matches in build input order.
 */
public final class HashJoin implements AutoCloseable {
  private final JoinSpec spec;
  private final Schema leftSchema;
  private final Schema rightSchema;
  private final Schema output;
  private final VectorSchemaRoot build;
  private final List<KeyColumn> buildKeys;
  private final GroupTable table;
  private final int[] head;
  private final int[] next;
  private final int[] groupOfRow;
  private final boolean[] matchedGroup;
  private final int maxOutputRows;
  /** Per output column: its source (0 = left, 1 = right, 2 = coalesced key) and the source column index. */
  private final int[] outSource;
  private final int[] outColumn;
  private final int[] outOtherColumn;
  private final BufferAllocator allocator;

  /**
   * Builds the table. The build batches are copied; the caller still owns (and closes) them.
   *
   * @param maxOutputRows upper bound on the rows of one output batch (duplicate keys can multiply rows)
   */
  public HashJoin(JoinSpec spec, Schema leftSchema, Schema rightSchema, List<VectorSchemaRoot> buildBatches,
      int maxOutputRows, BufferAllocator allocator) {
    if (maxOutputRows <= 0) {
      throw new IllegalArgumentException("maxOutputRows must be positive, got " + maxOutputRows);
    }
    this.spec = spec;
    this.leftSchema = leftSchema;
    this.rightSchema = rightSchema;
    this.maxOutputRows = maxOutputRows;
    this.allocator = allocator;
    List<Field> keyFields = checkKeys(spec, leftSchema, rightSchema);
    List<Field> outFields = new ArrayList<>();
    int total = leftSchema.getFields().size() + rightSchema.getFields().size();
    outSource = new int[total];
    outColumn = new int[total];
    outOtherColumn = new int[total];
    int count = layout(spec, leftSchema, rightSchema, outFields, outSource, outColumn, outOtherColumn);
    this.output = new Schema(outFields.subList(0, count));
    Schema buildSchema = spec.buildLeft() ? leftSchema : rightSchema;
    this.build = ColumnGather.concat(buildSchema, buildBatches, allocator);
    try {
      List<String> keys = spec.buildLeft() ? spec.leftKeys() : spec.rightKeys();
      this.buildKeys = KeyColumns.of(build, keys);
      int n = build.getRowCount();
      this.table = GroupTable.create(keyFields, n);
      groupOfRow = table.assign(buildKeys, n);
      head = new int[table.size()];
      Arrays.fill(head, -1);
      next = new int[n];
      for (int row = n - 1; row >= 0; row--) {
        if (GroupTable.anyNull(buildKeys, row)) {
          // Null keys never match: such rows stay out of every chain (they still count for outer/anti output).
          groupOfRow[row] = -1;
          continue;
        }
        int g = groupOfRow[row];
        next[row] = head[g];
        head[g] = row;
      }
      matchedGroup = new boolean[table.size()];
    } catch (RuntimeException e) {
      build.close();
      throw e;
    }
  }

  private static List<Field> checkKeys(JoinSpec spec, Schema left, Schema right) {
    List<Field> keyFields = new ArrayList<>();
    for (int k = 0; k < spec.leftKeys().size(); k++) {
      Field l = find(left, spec.leftKeys().get(k), "left");
      Field r = find(right, spec.rightKeys().get(k), "right");
      KeyKind lk = KeyKind.of(l);
      KeyKind rk = KeyKind.of(r);
      boolean sameLongs = lk != KeyKind.BYTES && lk != KeyKind.FIXED_BYTES && lk != KeyKind.DECIMAL
          && lk != KeyKind.FLOAT && lk == rk;
      if (!sameLongs && !l.getType().equals(r.getType())) {
        throw new IllegalArgumentException(
            "join key " + k + ": left column '" + l.getName() + "' is " + l.getType() + " but right column '"
                + r.getName() + "' is " + r.getType());
      }
      keyFields.add(spec.buildLeft() ? l : r);
    }
    return keyFields;
  }

  private static Field find(Schema s, String name, String side) {
    try {
      return s.findField(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("join key '" + name + "' is not a column of the " + side + " side "
          + s.getFields().stream().map(Field::getName).toList());
    }
  }

  /**
   * The schema of the rows a join of {@code left} and {@code right} returns, failing as the constructor does on a
   * missing key column or key columns of different types; for checking a plan before it runs.
   */
  public static Schema outputSchema(JoinSpec spec, Schema left, Schema right) {
    checkKeys(spec, left, right);
    int total = left.getFields().size() + right.getFields().size();
    List<Field> out = new ArrayList<>();
    int count = layout(spec, left, right, out, new int[total], new int[total], new int[total]);
    return new Schema(out.subList(0, count));
  }

  private static int layout(JoinSpec spec, Schema leftSchema, Schema rightSchema, List<Field> out, int[] outSource,
      int[] outColumn, int[] outOtherColumn) {
    int c = 0;
    JoinType t = spec.type();
    if (t.isSemiOrAnti()) {
      Schema s = t.returnsLeft() ? leftSchema : rightSchema;
      for (int i = 0; i < s.getFields().size(); i++) {
        out.add(s.getFields().get(i));
        outSource[c] = t.returnsLeft() ? 0 : 1;
        outColumn[c++] = i;
      }
      return c;
    }
    Set<String> names = new HashSet<>();
    List<Field> lf = leftSchema.getFields();
    for (int i = 0; i < lf.size(); i++) {
      out.add(lf.get(i));
      names.add(lf.get(i).getName());
      outSource[c] = 0;
      outColumn[c++] = i;
    }
    List<Field> rf = rightSchema.getFields();
    for (int j = 0; j < rf.size(); j++) {
      Field f = rf.get(j);
      int pair = spec.rightKeys().indexOf(f.getName());
      if (pair >= 0 && spec.leftKeys().get(pair).equals(f.getName())
          && leftSchema.findField(f.getName()).getType().equals(f.getType())) {
        // USING-style key: fold into the left column of the same name.
        int li = lf.indexOf(leftSchema.findField(f.getName()));
        outSource[li] = 2;
        outOtherColumn[li] = j;
        continue;
      }
      String name = f.getName();
      while (names.contains(name)) {
        name = name + spec.rightSuffix();
      }
      names.add(name);
      out.add(new Field(name, FieldType.nullable(f.getType()), f.getChildren()));
      outSource[c] = 1;
      outColumn[c++] = j;
    }
    // Columns of a side that may be absent in a row must be nullable in the output.
    for (int i = 0; i < c; i++) {
      Field f = out.get(i);
      if (!f.isNullable()) {
        out.set(i, new Field(f.getName(), FieldType.nullable(f.getType()), f.getChildren()));
      }
    }
    return c;
  }

  /** Schema of every batch this join returns. */
  public Schema outputSchema() {
    return output;
  }

  /** Joins one batch of the probe side; returns zero or more output batches (possibly none). */
  public List<VectorSchemaRoot> probe(VectorSchemaRoot batch, BufferAllocator out) {
    return probe(batch, out, null);
  }

  /**
   * {@link #probe(VectorSchemaRoot, BufferAllocator)}, also setting {@code matched[i]} for each probe row {@code i}
   * that has at least one match (when {@code matched} is not null; other entries are left as they are).
   */
  public List<VectorSchemaRoot> probe(VectorSchemaRoot batch, BufferAllocator out, boolean[] matched) {
    JoinType t = spec.type();
    boolean probeLeft = !spec.buildLeft();
    int n = batch.getRowCount();
    int[] groups = lookup(batch);
    if (matched != null) {
      mark(groups, n, matched);
    }
    boolean keepProbe = probeLeft ? t.keepsUnmatchedLeft() : t.keepsUnmatchedRight();
    boolean trackBuild = (probeLeft ? t.keepsUnmatchedRight() : t.keepsUnmatchedLeft())
        || (t.isSemiOrAnti() && t.returnsLeft() != probeLeft);
    if (trackBuild) {
      for (int i = 0; i < n; i++) {
        if (groups[i] >= 0) {
          matchedGroup[groups[i]] = true;
        }
      }
    }
    List<VectorSchemaRoot> result = new ArrayList<>();
    try {
      if (t.isSemiOrAnti()) {
        if (t.returnsLeft() == probeLeft) {
          int[] rows = new int[n];
          int m = 0;
          for (int i = 0; i < n; i++) {
            if ((groups[i] >= 0) != t.isAnti()) {
              rows[m++] = i;
            }
          }
          for (int from = 0; from < m; from += maxOutputRows) {
            result.add(ColumnGather.gather(batch, rows, from, Math.min(maxOutputRows, m - from), out));
          }
        }
        return result;
      }
      int[] probeIdx = new int[Math.min(maxOutputRows, Math.max(16, n))];
      int[] buildIdx = new int[probeIdx.length];
      int filled = 0;
      for (int i = 0; i < n; i++) {
        int g = groups[i];
        if (g < 0) {
          if (keepProbe) {
            if (filled == probeIdx.length) {
              result.add(emit(batch, probeLeft, probeIdx, buildIdx, filled, out));
              filled = 0;
            }
            probeIdx[filled] = i;
            buildIdx[filled++] = -1;
          }
          continue;
        }
        for (int r = head[g]; r >= 0; r = next[r]) {
          if (filled == probeIdx.length) {
            result.add(emit(batch, probeLeft, probeIdx, buildIdx, filled, out));
            filled = 0;
          }
          probeIdx[filled] = i;
          buildIdx[filled++] = r;
        }
      }
      if (filled > 0) {
        result.add(emit(batch, probeLeft, probeIdx, buildIdx, filled, out));
      }
      return result;
    } catch (RuntimeException e) {
      result.forEach(VectorSchemaRoot::close);
      throw e;
    }
  }

  /**
   * Sets {@code matched[i]} for each row {@code i} of the probe-side batch that has at least one match on the build
   * side, and marks the build rows it matches (for {@link #finish}); outputs nothing.
   */
  public void markMatches(VectorSchemaRoot batch, boolean[] matched) {
    JoinType t = spec.type();
    boolean probeLeft = !spec.buildLeft();
    int[] groups = lookup(batch);
    int n = batch.getRowCount();
    mark(groups, n, matched);
    if ((probeLeft ? t.keepsUnmatchedRight() : t.keepsUnmatchedLeft())
        || (t.isSemiOrAnti() && t.returnsLeft() != probeLeft)) {
      for (int i = 0; i < n; i++) {
        if (groups[i] >= 0) {
          matchedGroup[groups[i]] = true;
        }
      }
    }
  }

  private int[] lookup(VectorSchemaRoot batch) {
    List<String> keys = spec.buildLeft() ? spec.rightKeys() : spec.leftKeys();
    return table.lookup(KeyColumns.of(batch, keys), batch.getRowCount());
  }

  private static void mark(int[] groups, int n, boolean[] matched) {
    for (int i = 0; i < n; i++) {
      if (groups[i] >= 0) {
        matched[i] = true;
      }
    }
  }

  /**
   * The build-side rows the join type keeps besides matches: unmatched build rows of an outer join (with nulls for
   * the probe side), or the build side's rows of a semi / anti join. Call once, after every probe.
   */
  public List<VectorSchemaRoot> finish(BufferAllocator out) {
    JoinType t = spec.type();
    boolean probeLeft = !spec.buildLeft();
    boolean buildOuter = probeLeft ? t.keepsUnmatchedRight() : t.keepsUnmatchedLeft();
    boolean buildSemiAnti = t.isSemiOrAnti() && t.returnsLeft() != probeLeft;
    List<VectorSchemaRoot> result = new ArrayList<>();
    if (!buildOuter && !buildSemiAnti) {
      return result;
    }
    int n = build.getRowCount();
    int[] rows = new int[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      int g = groupOfRow[i];
      boolean matched = g >= 0 && matchedGroup[g];
      boolean keep = buildSemiAnti ? matched != t.isAnti() : !matched;
      if (keep) {
        rows[m++] = i;
      }
    }
    try {
      if (buildSemiAnti) {
        for (int from = 0; from < m; from += maxOutputRows) {
          result.add(ColumnGather.gather(build, rows, from, Math.min(maxOutputRows, m - from), out));
        }
        return result;
      }
      try (VectorSchemaRoot empty = VectorSchemaRoot.create(probeLeft ? leftSchema : rightSchema, out)) {
        for (int from = 0; from < m; from += maxOutputRows) {
          int len = Math.min(maxOutputRows, m - from);
          int[] probeIdx = new int[len];
          Arrays.fill(probeIdx, -1);
          result.add(emit(empty, probeLeft, probeIdx, Arrays.copyOfRange(rows, from, from + len), len, out));
        }
      }
      return result;
    } catch (RuntimeException e) {
      result.forEach(VectorSchemaRoot::close);
      throw e;
    }
  }

  private VectorSchemaRoot emit(VectorSchemaRoot probe, boolean probeLeft, int[] probeIdx, int[] buildIdx,
      int count, BufferAllocator out) {
    VectorSchemaRoot left = probeLeft ? probe : build;
    VectorSchemaRoot right = probeLeft ? build : probe;
    int[] leftIdx = probeLeft ? probeIdx : buildIdx;
    int[] rightIdx = probeLeft ? buildIdx : probeIdx;
    List<Field> fields = output.getFields();
    List<FieldVector> cols = new ArrayList<>(fields.size());
    try {
      for (int c = 0; c < fields.size(); c++) {
        FieldVector v = switch (outSource[c]) {
          case 0 -> ColumnGather.gatherColumn(
              new FieldVector[] {left.getVector(outColumn[c])}, null, leftIdx, 0, count, fields.get(c), out);
          case 1 -> ColumnGather.gatherColumn(
              new FieldVector[] {right.getVector(outColumn[c])}, null, rightIdx, 0, count, fields.get(c), out);
          default -> {
            if (allPresent(leftIdx, count)) {
              // Inner/left rows always have a left row: the key is the left key, a plain single-source gather.
              yield ColumnGather.gatherColumn(
                  new FieldVector[] {left.getVector(outColumn[c])}, null, leftIdx, 0, count, fields.get(c), out);
            }
            int[] src = new int[count];
            int[] rows = new int[count];
            for (int k = 0; k < count; k++) {
              boolean fromLeft = leftIdx[k] >= 0;
              src[k] = fromLeft ? 0 : 1;
              rows[k] = fromLeft ? leftIdx[k] : rightIdx[k];
            }
            yield ColumnGather.gatherColumn(
                new FieldVector[] {left.getVector(outColumn[c]), right.getVector(outOtherColumn[c])},
                src, rows, 0, count, fields.get(c), out);
          }
        };
        cols.add(v);
      }
    } catch (RuntimeException e) {
      cols.forEach(FieldVector::close);
      throw e;
    }
    return new VectorSchemaRoot(fields, cols, count);
  }

  private static boolean allPresent(int[] idx, int count) {
    for (int k = 0; k < count; k++) {
      if (idx[k] < 0) {
        return false;
      }
    }
    return true;
  }

  /** Rows on the build side (including rows with null keys). */
  public int buildRows() {
    return build.getRowCount();
  }

  @Override
  public void close() {
    build.close();
  }
}
