package dev.weft.data.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PartitionerTest {
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
  void gatherCopiesEveryColumnTypeAndMakesNullsForMinusOne() {
    try (VectorSchemaRoot in = TestBatches.random(allocator, 500, 40, 1)) {
      int[] rows = {3, -1, 499, 0, 3, 250, -1};
      try (VectorSchemaRoot out = ColumnGather.gather(in, rows, 0, rows.length, allocator)) {
        assertEquals(rows.length, out.getRowCount());
        for (int k = 0; k < rows.length; k++) {
          List<Object> got = TestBatches.row(out, k);
          if (rows[k] < 0) {
            got.forEach(v -> assertEquals(null, v));
          } else {
            assertEquals(TestBatches.row(in, rows[k]), got, "row " + k);
          }
        }
      }
    }
  }

  @Test
  void hashPartitionKeepsEveryRowAndSendsEqualKeysToOnePartition() {
    try (VectorSchemaRoot in = TestBatches.random(allocator, 5000, 300, 2)) {
      for (List<String> keys : List.of(List.of("k64"), List.of("k32"), List.of("f64"), List.of("s"),
          List.of("b"), List.of("flag"), List.of("s", "k32", "flag"))) {
        List<VectorSchemaRoot> parts = Partitioner.hashPartition(in, keys, 7, allocator);
        try {
          assertEquals(7, parts.size());
          assertEquals(TestBatches.sorted(TestBatches.rows(in)), TestBatches.sorted(TestBatches.rows(parts)));
          Map<List<Object>, Integer> home = new HashMap<>();
          for (int p = 0; p < parts.size(); p++) {
            VectorSchemaRoot part = parts.get(p);
            for (int i = 0; i < part.getRowCount(); i++) {
              List<Object> key = new ArrayList<>();
              for (String k : keys) {
                key.add(normalise(TestBatches.value(part.getVector(k), i)));
              }
              Integer before = home.putIfAbsent(key, p);
              assertTrue(before == null || before == p, "key " + key + " in partitions " + before + " and " + p);
            }
          }
          assertTrue(home.size() > 7 || keys.equals(List.of("flag")));
        } finally {
          TestBatches.closeAll(parts);
        }
      }
    }
  }

  @Test
  void splitKeepsRowOrderInEveryPartitionForEveryColumnTypeAndLeavesUnusedOnesEmpty() {
    try (VectorSchemaRoot in = TestBatches.random(allocator, 2000, 90, 5)) {
      int n = 6;
      int[] ids = new int[in.getRowCount()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = i % 5 == 3 ? 4 : (i * 7) % 4; // partition 5 gets nothing
      }
      List<VectorSchemaRoot> parts = Partitioner.split(in, ids, n, allocator);
      try {
        List<List<Object>> all = TestBatches.rows(in);
        for (int p = 0; p < n; p++) {
          List<List<Object>> expected = new ArrayList<>();
          for (int i = 0; i < ids.length; i++) {
            if (ids[i] == p) {
              expected.add(all.get(i));
            }
          }
          assertEquals(expected.toString(), TestBatches.rows(parts.get(p)).toString(), "partition " + p);
          assertEquals(in.getSchema(), parts.get(p).getSchema());
        }
        assertEquals(0, parts.get(5).getRowCount());
      } finally {
        TestBatches.closeAll(parts);
      }
    }
  }

  @Test
  void gatherManyGrowsItsBytesWhenTheChosenRowsAreLongerThanTheAverage() {
    org.apache.arrow.vector.VarCharVector shortOnes = new org.apache.arrow.vector.VarCharVector("s", allocator);
    org.apache.arrow.vector.VarCharVector longOnes = new org.apache.arrow.vector.VarCharVector("s", allocator);
    shortOnes.allocateNew(100);
    longOnes.allocateNew(100);
    for (int i = 0; i < 100; i++) {
      shortOnes.setSafe(i, ("" + (i % 10)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      longOnes.setSafe(i, ("long value " + i + " ".repeat(200)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    shortOnes.setValueCount(100);
    longOnes.setValueCount(100);
    try (VectorSchemaRoot a = VectorSchemaRoot.of(shortOnes); VectorSchemaRoot b = VectorSchemaRoot.of(longOnes)) {
      // Only rows of the long source, each three times, and a missing row: far more bytes than the average.
      int n = 301;
      int[] src = new int[n];
      int[] rows = new int[n];
      for (int k = 0; k < n; k++) {
        src[k] = 1;
        rows[k] = k == 150 ? -1 : k % 100;
      }
      try (VectorSchemaRoot out = ColumnGather.gatherMany(a.getSchema(), List.of(a, b), src, rows, n, allocator)) {
        org.apache.arrow.vector.VarCharVector s = (org.apache.arrow.vector.VarCharVector) out.getVector(0);
        for (int k = 0; k < n; k++) {
          if (k == 150) {
            assertTrue(s.isNull(k));
          } else {
            assertEquals("long value " + (k % 100) + " ".repeat(200), s.getObject(k).toString(), "row " + k);
          }
        }
      }
    }
  }

  private static Object normalise(Object v) {
    if (v instanceof Double d && (d == 0.0 || d.isNaN())) {
      return d.isNaN() ? Double.NaN : 0.0;
    }
    return v;
  }

  @Test
  void int32AndInt64KeysWithEqualValuesGoToTheSameReducer() {
    IntVector a = new IntVector("k", allocator);
    a.allocateNew(100);
    for (int i = 0; i < 100; i++) {
      a.set(i, i * 7919 - 300);
    }
    a.setValueCount(100);
    BigIntVector b = new BigIntVector("k", allocator);
    b.allocateNew(100);
    for (int i = 0; i < 100; i++) {
      b.set(i, i * 7919L - 300);
    }
    b.setValueCount(100);
    try (VectorSchemaRoot ra = new VectorSchemaRoot(List.<FieldVector>of(a));
        VectorSchemaRoot rb = new VectorSchemaRoot(List.<FieldVector>of(b))) {
      assertEquals(
          java.util.Arrays.toString(Partitioner.hashPartitionIds(ra, List.of("k"), 13)),
          java.util.Arrays.toString(Partitioner.hashPartitionIds(rb, List.of("k"), 13)));
    }
  }

  @Test
  void randomPartitionIsReproducibleFromTheSeedAndKeepsEveryRow() {
    try (VectorSchemaRoot in = TestBatches.random(allocator, 3000, 100, 3)) {
      List<VectorSchemaRoot> a = Partitioner.randomPartition(in, 5, new SplittableRandom(42), allocator);
      List<VectorSchemaRoot> b = Partitioner.randomPartition(in, 5, new SplittableRandom(42), allocator);
      try {
        for (int p = 0; p < 5; p++) {
          assertEquals(TestBatches.rows(a.get(p)), TestBatches.rows(b.get(p)));
          assertTrue(a.get(p).getRowCount() > 400, "partition " + p + " has " + a.get(p).getRowCount() + " rows");
        }
        assertEquals(TestBatches.sorted(TestBatches.rows(in)), TestBatches.sorted(TestBatches.rows(a)));
      } finally {
        TestBatches.closeAll(a);
        TestBatches.closeAll(b);
      }
    }
  }

  @Test
  void rejectsBadPartitionCountsAndMissingColumns() {
    try (VectorSchemaRoot in = TestBatches.random(allocator, 10, 5, 4)) {
      assertThrows(IllegalArgumentException.class, () -> Partitioner.hashPartitionIds(in, List.of("k64"), 0));
      IllegalArgumentException e = assertThrows(
          IllegalArgumentException.class, () -> Partitioner.hashPartitionIds(in, List.of("nope"), 3));
      assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("k64"), e.getMessage());
    }
  }
}
