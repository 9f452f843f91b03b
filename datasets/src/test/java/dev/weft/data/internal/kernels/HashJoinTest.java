package dev.weft.data.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HashJoinTest {
  private BufferAllocator allocator;

  @BeforeEach
  void open() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void close() {
    assertEquals(0, allocator.getAllocatedMemory(), "allocator must end at zero");
    allocator.close();
  }

  @Test
  void everyJoinTypeOnEitherBuildSideMatchesTheReference() {
    for (List<String> keys : List.of(List.of("k64"), List.of("s", "k32"), List.of("f64"))) {
      List<VectorSchemaRoot> left = List.of(
          TestBatches.random(allocator, 300, 60, 1), TestBatches.random(allocator, 250, 60, 2));
      List<VectorSchemaRoot> right = List.of(
          TestBatches.random(allocator, 200, 60, 3), TestBatches.random(allocator, 350, 60, 4));
      try {
        for (JoinType type : JoinType.values()) {
          for (boolean buildLeft : new boolean[] {false, true}) {
            JoinSpec spec = JoinSpec.on(type, keys).withBuildLeft(buildLeft);
            List<List<Object>> got = run(spec, left, right, 97);
            List<List<Object>> expected = reference(spec, left, right);
            assertEquals(TestBatches.sorted(expected), TestBatches.sorted(got),
                type + " on " + keys + (buildLeft ? " building left" : " building right"));
            assertTrue(!expected.isEmpty() || type.isAnti(), "a test case with no rows proves little: " + type);
          }
        }
      } finally {
        TestBatches.closeAll(left);
        TestBatches.closeAll(right);
      }
    }
  }

  @Test
  void clashingColumnsGetTheSuffixAndUsingKeysAppearOnce() {
    try (VectorSchemaRoot l = TestBatches.random(allocator, 10, 5, 7);
        VectorSchemaRoot r = TestBatches.random(allocator, 10, 5, 8);
        HashJoin join = new HashJoin(JoinSpec.on(JoinType.FULL_OUTER, List.of("k64")), l.getSchema(),
            r.getSchema(), List.of(r), 1000, allocator)) {
      assertEquals(List.of("k64", "k32", "f64", "s", "b", "flag", "k32_right", "f64_right", "s_right", "b_right",
              "flag_right"),
          join.outputSchema().getFields().stream().map(f -> f.getName()).toList());
    }
  }

  @Test
  void joinsTwoHundredThousandDistinctKeys() {
    int n = 200_000;
    Long[] leftKeys = new Long[n];
    for (int i = 0; i < n; i++) {
      leftKeys[i] = (long) i * 31;
    }
    SplittableRandom rng = new SplittableRandom(5);
    Long[] rightKeys = new Long[250_000];
    Map<Long, Integer> rightCount = new HashMap<>();
    for (int i = 0; i < rightKeys.length; i++) {
      rightKeys[i] = rng.nextLong(300_000) * 31;
      rightCount.merge(rightKeys[i], 1, Integer::sum);
    }
    long expected = Arrays.stream(leftKeys).mapToLong(k -> rightCount.getOrDefault(k, 0)).sum();
    try (VectorSchemaRoot l = TestBatches.longs(allocator, "k", leftKeys);
        VectorSchemaRoot r = TestBatches.longs(allocator, "k", rightKeys);
        HashJoin join = new HashJoin(new JoinSpec(JoinType.INNER, List.of("k"), List.of("k"), true, "_r"),
            l.getSchema(), r.getSchema(), List.of(l), 1 << 16, allocator)) {
      List<VectorSchemaRoot> out = join.probe(r, allocator);
      try {
        long rows = 0;
        for (VectorSchemaRoot o : out) {
          rows += o.getRowCount();
          FieldVector k = o.getVector("k");
          for (int i = 0; i < o.getRowCount(); i++) {
            assertEquals(0L, ((Long) k.getObject(i)) % 31);
          }
        }
        assertEquals(expected, rows);
      } finally {
        TestBatches.closeAll(out);
      }
    }
  }

  @Test
  void rejectsMismatchedKeyTypesNamingBothColumns() {
    try (VectorSchemaRoot l = TestBatches.random(allocator, 10, 5, 9)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HashJoin(
          new JoinSpec(JoinType.INNER, List.of("s"), List.of("k64"), false, "_r"), l.getSchema(), l.getSchema(),
          List.of(l), 10, allocator));
      assertTrue(e.getMessage().contains("'s'") && e.getMessage().contains("'k64'"), e.getMessage());
    }
  }

  static List<List<Object>> run(JoinSpec spec, List<VectorSchemaRoot> left, List<VectorSchemaRoot> right,
      int maxRows, BufferAllocator allocator) {
    List<VectorSchemaRoot> build = spec.buildLeft() ? left : right;
    List<VectorSchemaRoot> probe = spec.buildLeft() ? right : left;
    List<List<Object>> rows = new ArrayList<>();
    try (HashJoin join = new HashJoin(spec, left.getFirst().getSchema(), right.getFirst().getSchema(), build,
        maxRows, allocator)) {
      for (VectorSchemaRoot p : probe) {
        List<VectorSchemaRoot> out = join.probe(p, allocator);
        collect(join.outputSchema(), out, maxRows, rows);
      }
      collect(join.outputSchema(), join.finish(allocator), maxRows, rows);
    }
    return rows;
  }

  private List<List<Object>> run(JoinSpec spec, List<VectorSchemaRoot> left, List<VectorSchemaRoot> right,
      int maxRows) {
    return run(spec, left, right, maxRows, allocator);
  }

  private static void collect(Schema schema, List<VectorSchemaRoot> out, int maxRows, List<List<Object>> rows) {
    try {
      for (VectorSchemaRoot o : out) {
        assertEquals(schema, o.getSchema());
        assertTrue(o.getRowCount() <= maxRows);
        rows.addAll(TestBatches.rows(o));
      }
    } finally {
      TestBatches.closeAll(out);
    }
  }

  private static Object norm(Object v) {
    if (v instanceof Double d && (d == 0.0 || d.isNaN())) {
      return d.isNaN() ? Double.NaN : 0.0;
    }
    return v;
  }

  /** Nested loops over plain rows, with the documented column layout (USING keys once, clashes suffixed). */
  static List<List<Object>> reference(JoinSpec spec, List<VectorSchemaRoot> leftBatches,
      List<VectorSchemaRoot> rightBatches) {
    List<String> names = leftBatches.getFirst().getSchema().getFields().stream().map(f -> f.getName()).toList();
    List<List<Object>> left = TestBatches.rows(leftBatches);
    List<List<Object>> right = TestBatches.rows(rightBatches);
    int[] keyCols = spec.leftKeys().stream().mapToInt(names::indexOf).toArray();
    JoinType t = spec.type();
    List<List<Object>> out = new ArrayList<>();
    boolean[] rightMatched = new boolean[right.size()];
    for (List<Object> l : left) {
      boolean matched = false;
      for (int j = 0; j < right.size(); j++) {
        if (keysMatch(l, right.get(j), keyCols)) {
          matched = true;
          rightMatched[j] = true;
          if (!t.isSemiOrAnti()) {
            out.add(combine(l, right.get(j), keyCols));
          }
        }
      }
      if ((t == JoinType.LEFT_SEMI && matched) || (t == JoinType.LEFT_ANTI && !matched)) {
        out.add(l);
      }
      if (t.keepsUnmatchedLeft() && !matched) {
        out.add(combine(l, null, keyCols));
      }
    }
    for (int j = 0; j < right.size(); j++) {
      if ((t == JoinType.RIGHT_SEMI && rightMatched[j]) || (t == JoinType.RIGHT_ANTI && !rightMatched[j])) {
        out.add(right.get(j));
      }
      if (t.keepsUnmatchedRight() && !rightMatched[j]) {
        out.add(combine(null, right.get(j), keyCols));
      }
    }
    return out;
  }

  private static boolean keysMatch(List<Object> l, List<Object> r, int[] keyCols) {
    for (int k : keyCols) {
      if (l.get(k) == null || r.get(k) == null || !Objects.equals(norm(l.get(k)), norm(r.get(k)))) {
        return false;
      }
    }
    return true;
  }

  private static List<Object> combine(List<Object> l, List<Object> r, int[] keyCols) {
    int width = (l != null ? l : r).size();
    List<Object> row = new ArrayList<>();
    for (int c = 0; c < width; c++) {
      int col = c;
      boolean isKey = Arrays.stream(keyCols).anyMatch(k -> k == col);
      row.add(l != null ? l.get(c) : (isKey ? r.get(c) : null));
    }
    for (int c = 0; c < width; c++) {
      int col = c;
      if (Arrays.stream(keyCols).noneMatch(k -> k == col)) {
        row.add(r == null ? null : r.get(c));
      }
    }
    return row;
  }
}
