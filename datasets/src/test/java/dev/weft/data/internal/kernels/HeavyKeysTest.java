package dev.weft.data.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HeavyKeysTest {
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

  private VectorSchemaRoot skewed(int rows, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Long[] keys = new Long[rows];
    for (int i = 0; i < rows; i++) {
      int r = rng.nextInt(100);
      keys[i] = r < 40 ? Long.valueOf(7) : r < 55 ? Long.valueOf(3) : r < 60 ? null : Long.valueOf(100 + rng.nextLong(1000));
    }
    return TestBatches.longs(allocator, "k", keys);
  }

  @Test
  void findsTheKeysAboveTheThresholdAndIgnoresNulls() {
    try (VectorSchemaRoot sample = skewed(5000, 1)) {
      HeavyKeys heavy = HeavyKeys.detect(sample, List.of("k"), 0.1);
      assertEquals(2, heavy.size());
      try (VectorSchemaRoot probe = TestBatches.longs(allocator, "k", 7L, 3L, 100L, null)) {
        int[] h = heavy.lookup(probe, List.of("k"));
        assertTrue(h[0] >= 0 && h[1] >= 0 && h[0] != h[1]);
        assertEquals(-1, h[2]);
        assertEquals(-1, h[3]);
        assertTrue(heavy.fraction(h[0]) > 0.35 && heavy.fraction(h[1]) > 0.1);
      }
    }
  }

  @Test
  void spreadAndReplicatedPartitionsJoinToTheSameRowsAsAPlainJoin() {
    int n = 8;
    int fanout = 4;
    try (VectorSchemaRoot big = skewed(6000, 2); VectorSchemaRoot small = skewed(300, 3)) {
      HeavyKeys heavy = HeavyKeys.detect(big, List.of("k"), 0.1);
      JoinSpec spec = new JoinSpec(JoinType.INNER, List.of("k"), List.of("k"), false, "_r");
      List<List<Object>> expected = HashJoinTest.run(spec, List.of(big), List.of(small), 1 << 20, allocator);
      int[] ids = heavy.spreadPartitionIds(big, List.of("k"), n, fanout, new SplittableRandom(4));
      Set<Integer> partitionsOfSeven = new HashSet<>();
      for (int i = 0; i < ids.length; i++) {
        if (Long.valueOf(7).equals(big.getVector(0).getObject(i))) {
          partitionsOfSeven.add(ids[i]);
        }
      }
      assertEquals(fanout, partitionsOfSeven.size(), "the heavy key should be spread over the fanout");
      List<VectorSchemaRoot> bigParts = Partitioner.split(big, ids, n, allocator);
      List<VectorSchemaRoot> smallParts = heavy.replicatePartition(small, List.of("k"), n, fanout, allocator);
      try {
        List<List<Object>> got = new ArrayList<>();
        for (int p = 0; p < n; p++) {
          got.addAll(HashJoinTest.run(spec, List.of(bigParts.get(p)), List.of(smallParts.get(p)), 1 << 20,
              allocator));
        }
        assertEquals(expected.size(), got.size());
        assertEquals(TestBatches.sorted(expected), TestBatches.sorted(got));
      } finally {
        TestBatches.closeAll(bigParts);
        TestBatches.closeAll(smallParts);
      }
    }
  }
}
