package dev.weft.data.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SorterTest {
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

  /** The documented order: nulls smallest (first ascending, last descending), -0.0 == 0.0, NaN greatest. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Comparator<List<Object>> reference(VectorSchemaRoot schema, List<SortKey> keys) {
    Comparator<List<Object>> cmp = (a, b) -> 0;
    List<String> names = schema.getSchema().getFields().stream().map(f -> f.getName()).toList();
    for (SortKey k : keys) {
      int col = names.indexOf(k.column());
      Comparator<List<Object>> one = (a, b) -> {
        Object x = norm(a.get(col));
        Object y = norm(b.get(col));
        if (x == null || y == null) {
          return x == y ? 0 : (x == null ? -1 : 1);
        }
        return ((Comparable) x).compareTo(y);
      };
      cmp = cmp.thenComparing(k.descending() ? one.reversed() : one);
    }
    return cmp;
  }

  private static Object norm(Object v) {
    return v instanceof Double d && d == 0.0 ? 0.0 : v;
  }

  @Test
  void sortsEveryKeyTypeBothWaysStablyWithNullsAsDocumented() {
    try (VectorSchemaRoot in = TestBatches.random(allocator, 4000, 500, 5)) {
      List<List<SortKey>> cases = new ArrayList<>();
      for (String c : List.of("k64", "k32", "f64", "s", "b", "flag")) {
        cases.add(List.of(SortKey.asc(c)));
        cases.add(List.of(SortKey.desc(c)));
      }
      cases.add(List.of(SortKey.asc("s"), SortKey.desc("k32"), SortKey.asc("f64")));
      cases.add(List.of(SortKey.desc("flag"), SortKey.asc("b")));
      for (List<SortKey> keys : cases) {
        List<List<Object>> expected = TestBatches.rows(in);
        expected.sort(reference(in, keys));
        try (VectorSchemaRoot out = Sorter.sort(in, keys, allocator)) {
          assertEquals(expected.toString(), TestBatches.rows(out).toString(), "sort by " + keys);
        }
      }
    }
  }

  @Test
  void aReducerSortsItsPiecesStablyIntoBoundedBatches() {
    List<SortKey> keys = List.of(SortKey.desc("k32"), SortKey.asc("s"));
    List<VectorSchemaRoot> pieces = new ArrayList<>();
    try {
      List<List<Object>> expected = new ArrayList<>();
      for (int r = 0; r < 5; r++) {
        pieces.add(TestBatches.random(allocator, 300 + 200 * r, 100, 10 + r));
        expected.addAll(TestBatches.rows(pieces.getLast()));
      }
      pieces.add(TestBatchesEmpty.of(pieces.getFirst(), allocator));
      expected.sort(reference(pieces.getFirst(), keys)); // List.sort is stable
      List<VectorSchemaRoot> sorted = SortExchange.reduce(pieces, keys, 777, allocator);
      try {
        for (VectorSchemaRoot m : sorted) {
          assertTrue(m.getRowCount() <= 777);
        }
        assertEquals(expected.toString(), TestBatches.rows(sorted).toString());
      } finally {
        TestBatches.closeAll(sorted);
      }
    } finally {
      TestBatches.closeAll(pieces);
    }
  }

  @Test
  void rangePartitionsFromASampleAreOrderedAndCoverEveryRow() {
    List<SortKey> keys = List.of(SortKey.asc("f64"), SortKey.desc("s"));
    List<VectorSchemaRoot> blocks = new ArrayList<>();
    List<VectorSchemaRoot> samples = new ArrayList<>();
    try {
      SplittableRandom rng = new SplittableRandom(9);
      for (int b = 0; b < 4; b++) {
        blocks.add(TestBatches.random(allocator, 2000, 1000, 20 + b));
        samples.add(Sorter.sample(blocks.getLast(), keys, 100, rng, allocator));
      }
      int n = 6;
      try (VectorSchemaRoot pooled = ColumnGather.concat(samples.getFirst().getSchema(), samples, allocator);
          VectorSchemaRoot bounds = RangeBoundaries.fromSample(pooled, keys, n, allocator)) {
        assertEquals(n - 1, bounds.getRowCount());
        List<List<List<Object>>> partitions = new ArrayList<>();
        for (int p = 0; p < n; p++) {
          partitions.add(new ArrayList<>());
        }
        int total = 0;
        for (VectorSchemaRoot block : blocks) {
          List<VectorSchemaRoot> parts = RangeBoundaries.partition(block, keys, bounds, allocator);
          try {
            for (int p = 0; p < n; p++) {
              partitions.get(p).addAll(TestBatches.rows(parts.get(p)));
              total += parts.get(p).getRowCount();
            }
          } finally {
            TestBatches.closeAll(parts);
          }
        }
        assertEquals(8000, total);
        Comparator<List<Object>> cmp = reference(blocks.getFirst(), keys);
        for (int p = 0; p + 1 < n; p++) {
          assertTrue(partitions.get(p).size() > 300, "partition " + p + " is too small for a quantile split");
          List<Object> maxHere = partitions.get(p).stream().max(cmp).orElseThrow();
          List<Object> minNext = partitions.get(p + 1).stream().min(cmp).orElseThrow();
          assertTrue(cmp.compare(maxHere, minNext) <= 0, "partition " + p + " overlaps the next one");
        }
      }
    } finally {
      TestBatches.closeAll(blocks);
      TestBatches.closeAll(samples);
    }
  }
}
