package dev.weft.data.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HashAggregatorTest {
  private static final List<Aggregate> ALL = List.of(
      Aggregate.count(), Aggregate.count("f64"), Aggregate.sum("f64"), Aggregate.sum("k32"), Aggregate.mean("f64"),
      Aggregate.mean("k32"), Aggregate.min("f64"), Aggregate.max("f64"), Aggregate.min("k32"), Aggregate.max("s"),
      Aggregate.min("s"), Aggregate.max("b"), Aggregate.min("flag"), Aggregate.std("f64"), Aggregate.std("k32"),
      Aggregate.countDistinct("s"), Aggregate.countDistinct("f64"), Aggregate.countDistinct("k32"));

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
  void singleStageMatchesThePlainJavaReferenceForEveryAggregate() {
    for (List<String> keys : List.of(List.of("k64"), List.of("s", "k32"), List.of("f64"), List.of("flag", "b"))) {
      try (VectorSchemaRoot in = TestBatches.random(allocator, 3000, 300, 31)) {
        HashAggregator agg = new HashAggregator(in.getSchema(), keys, ALL, 16);
        agg.add(in);
        try (VectorSchemaRoot out = agg.result(allocator)) {
          assertSame(reference(List.of(in), keys, ALL), byKey(out, keys.size()), "keys " + keys);
        }
      }
    }
  }

  @Test
  void aBatchLongerThanOneChunkIsFoldedChunkByChunkWithTheSameAnswer() {
    int rows = HashAggregator.CHUNK * 2 + 1234;
    for (List<String> keys : List.of(List.<String>of(), List.of("k64"), List.of("s", "k32"), List.of("flag", "b"))) {
      try (VectorSchemaRoot in = TestBatches.random(allocator, rows, 500, 41)) {
        HashAggregator agg = new HashAggregator(in.getSchema(), keys, ALL, 16);
        agg.add(in);
        try (VectorSchemaRoot out = agg.result(allocator)) {
          assertSame(reference(List.of(in), keys, ALL), byKey(out, keys.size()), "keys " + keys);
        }
      }
    }
  }

  @Test
  void partialsAndRawRowsMergedByAReducerGiveTheSameAnswerAsOneStage() {
    List<String> keys = List.of("k32");
    List<VectorSchemaRoot> blocks = new ArrayList<>();
    try {
      for (int b = 0; b < 4; b++) {
        blocks.add(TestBatches.random(allocator, 1500 + 500 * b, 400, 40 + b));
      }
      HashAggregator reducer = new HashAggregator(blocks.getFirst().getSchema(), keys, ALL, 16);
      // The first block reaches the reducer raw (an adaptive combiner that gave up); the rest as partials.
      reducer.add(blocks.getFirst());
      for (VectorSchemaRoot block : blocks.subList(1, blocks.size())) {
        HashAggregator mapper = new HashAggregator(block.getSchema(), keys, ALL, 16);
        mapper.add(block);
        try (VectorSchemaRoot partial = mapper.partialResult(allocator)) {
          assertEquals(mapper.partialSchema(), partial.getSchema());
          reducer.merge(partial);
        }
      }
      try (VectorSchemaRoot out = reducer.result(allocator)) {
        assertSame(reference(blocks, keys, ALL), byKey(out, keys.size()), "two-stage");
      }
    } finally {
      TestBatches.closeAll(blocks);
    }
  }

  @Test
  void globalAggregationGivesOneRowEvenForNoInput() {
    List<Aggregate> aggs = List.of(Aggregate.count(), Aggregate.sum("f64"), Aggregate.max("s"));
    try (VectorSchemaRoot in = TestBatches.random(allocator, 3000, 10, 50);
        VectorSchemaRoot empty = TestBatchesEmpty.of(in, allocator)) {
      HashAggregator agg = new HashAggregator(in.getSchema(), List.of(), aggs, 1);
      agg.add(in);
      try (VectorSchemaRoot out = agg.result(allocator)) {
        assertSame(reference(List.of(in), List.of(), aggs), byKey(out, 0), "global");
      }
      HashAggregator none = new HashAggregator(in.getSchema(), List.of(), aggs, 1);
      none.add(empty);
      try (VectorSchemaRoot out = none.result(allocator)) {
        assertEquals(1, out.getRowCount());
        assertEquals(List.of(0L), List.of(out.getVector(0).getObject(0)));
        assertTrue(out.getVector(1).isNull(0) && out.getVector(2).isNull(0));
      }
    }
  }

  @Test
  void handlesHundredsOfThousandsOfGroupsWithLongAndStringKeys() {
    int rows = 400_000;
    SplittableRandom rng = new SplittableRandom(60);
    BigIntVector k = new BigIntVector("k", allocator);
    VarCharVector s = new VarCharVector("s", allocator);
    Float8Vector x = new Float8Vector("x", allocator);
    k.allocateNew(rows);
    s.allocateNew((long) rows * 12, rows);
    x.allocateNew(rows);
    Map<Long, long[]> counts = new LinkedHashMap<>();
    for (int i = 0; i < rows; i++) {
      long key = rng.nextLong(250_000) * 1_000_003L;
      k.set(i, key);
      s.setSafe(i, ("key-" + key).getBytes(StandardCharsets.UTF_8));
      int v = rng.nextInt(100);
      x.set(i, v);
      long[] c = counts.computeIfAbsent(key, kk -> new long[2]);
      c[0]++;
      c[1] += v;
    }
    List<FieldVector> cols = List.of(k, s, x);
    cols.forEach(v -> v.setValueCount(rows));
    try (VectorSchemaRoot in = new VectorSchemaRoot(cols)) {
      for (String key : List.of("k", "s")) {
        HashAggregator agg = new HashAggregator(
            in.getSchema(), List.of(key), List.of(Aggregate.count(), Aggregate.sum("x")), 16);
        agg.add(in);
        try (VectorSchemaRoot out = agg.result(allocator)) {
          assertEquals(counts.size(), out.getRowCount());
          assertTrue(counts.size() > 190_000, "distinct keys: " + counts.size());
          for (int g = 0; g < out.getRowCount(); g++) {
            Object kv = TestBatches.value(out.getVector(0), g);
            long id = kv instanceof Long l ? l : Long.parseLong(((String) kv).substring(4));
            long[] c = counts.get(id);
            assertEquals(c[0], out.getVector(1).getObject(g), "count of " + kv);
            assertEquals((double) c[1], out.getVector(2).getObject(g), "sum of " + kv);
          }
        }
      }
    }
  }

  @Test
  void rejectsClashingNamesAndNonNumericSums() {
    try (VectorSchemaRoot in = TestBatches.random(allocator, 10, 5, 70)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new HashAggregator(in.getSchema(), List.of("k64"), List.of(Aggregate.sum("s")), 1));
      assertTrue(e.getMessage().contains("'s'"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> new HashAggregator(
          in.getSchema(), List.of("k64"), List.of(Aggregate.count(), Aggregate.count().as("count()")), 1));
      assertThrows(IllegalArgumentException.class,
          () -> new HashAggregator(in.getSchema(), List.of("missing"), List.of(Aggregate.count()), 1));
    }
  }

  // ---- reference ----

  private static Object normKey(Object v) {
    if (v instanceof Double d && (d == 0.0 || d.isNaN())) {
      return d.isNaN() ? Double.NaN : 0.0;
    }
    return v;
  }

  private static Map<List<Object>, List<Object>> byKey(VectorSchemaRoot out, int keyCount) {
    Map<List<Object>, List<Object>> m = new LinkedHashMap<>();
    for (List<Object> row : TestBatches.rows(out)) {
      List<Object> key = new ArrayList<>(row.subList(0, keyCount));
      assertTrue(m.put(key, row.subList(keyCount, row.size())) == null, "group " + key + " appears twice");
    }
    return m;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Map<List<Object>, List<Object>> reference(
      List<VectorSchemaRoot> inputs, List<String> keys, List<Aggregate> aggs) {
    Map<List<Object>, List<List<Object>>> groups = new LinkedHashMap<>();
    List<String> names = inputs.getFirst().getSchema().getFields().stream().map(f -> f.getName()).toList();
    if (keys.isEmpty()) {
      groups.put(List.of(), new ArrayList<>());
    }
    for (VectorSchemaRoot in : inputs) {
      for (List<Object> row : TestBatches.rows(in)) {
        List<Object> key = new ArrayList<>();
        for (String k : keys) {
          key.add(normKey(row.get(names.indexOf(k))));
        }
        groups.computeIfAbsent(key, kk -> new ArrayList<>()).add(row);
      }
    }
    Map<List<Object>, List<Object>> out = new LinkedHashMap<>();
    for (var e : groups.entrySet()) {
      List<Object> values = new ArrayList<>();
      for (Aggregate a : aggs) {
        List<Object> col = new ArrayList<>();
        if (a.column() != null) {
          for (List<Object> row : e.getValue()) {
            Object v = row.get(names.indexOf(a.column()));
            if (v != null) {
              col.add(normKey(v));
            }
          }
        }
        values.add(switch (a.kind()) {
          case COUNT_ALL -> (long) e.getValue().size();
          case COUNT -> (long) col.size();
          case SUM -> col.isEmpty() ? null : col.getFirst() instanceof Double
              ? col.stream().mapToDouble(v -> (Double) v).sum()
              : (Object) col.stream().mapToLong(v -> ((Number) v).longValue()).sum();
          case MEAN -> col.isEmpty() ? null : col.stream().mapToDouble(v -> ((Number) v).doubleValue()).sum()
              / col.size();
          case MIN -> col.stream().min((x, y) -> ((Comparable) x).compareTo(y)).orElse(null);
          case MAX -> col.stream().max((x, y) -> ((Comparable) x).compareTo(y)).orElse(null);
          case STD -> {
            if (col.size() < 2) {
              yield null;
            }
            double mean = col.stream().mapToDouble(v -> ((Number) v).doubleValue()).average().orElseThrow();
            double ss = col.stream().mapToDouble(v -> ((Number) v).doubleValue() - mean).map(d -> d * d).sum();
            yield Math.sqrt(ss / (col.size() - 1));
          }
          case COUNT_DISTINCT -> (long) new HashSet<>(col).size();
        });
      }
      out.put(e.getKey(), values);
    }
    return out;
  }

  private static void assertSame(Map<List<Object>, List<Object>> expected, Map<List<Object>, List<Object>> got,
      String what) {
    assertEquals(expected.keySet().stream().map(Object::toString).sorted().toList(),
        got.keySet().stream().map(Object::toString).sorted().toList(), what + ": groups");
    for (var e : expected.entrySet()) {
      List<Object> g = got.get(e.getKey());
      for (int i = 0; i < e.getValue().size(); i++) {
        Object x = e.getValue().get(i);
        Object y = g.get(i);
        boolean same = x instanceof Double dx && y instanceof Double dy
            ? Objects.equals(dx, dy) || Math.abs(dx - dy) <= 1e-9 * Math.max(1, Math.abs(dx))
            : Objects.equals(x, y);
        assertTrue(same, what + ": group " + e.getKey() + " aggregate " + ALL.get(Math.min(i, ALL.size() - 1))
            + " expected " + x + " got " + y);
      }
    }
  }
}
