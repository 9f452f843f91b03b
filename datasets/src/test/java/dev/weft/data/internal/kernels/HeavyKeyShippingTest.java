package dev.weft.data.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The skew path of the streaming hash join, as its tasks run it: a sampling task's key sample, the driver's heavy
 * keys shipped as one row per key, each map task finding the same keys again from those rows, and the probe and
 * build splits of {@link JoinExchange} that together join to the same rows as a plain join while the heavy key is
 * spread over every reducer.
 */
class HeavyKeyShippingTest {
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

  /** 60 % key 7, 5 % null, the rest spread over 1000 keys. */
  private VectorSchemaRoot skewed(int rows, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Long[] keys = new Long[rows];
    for (int i = 0; i < rows; i++) {
      int r = rng.nextInt(100);
      keys[i] = r < 60 ? Long.valueOf(7) : r < 65 ? null : Long.valueOf(rng.nextLong(1000));
    }
    return TestBatches.longs(allocator, "k", keys);
  }

  @Test
  void shippedHeavyKeysSplitTheProbeSideAndStillJoinToThePlainAnswer() {
    int reducers = 8;
    List<String> keys = List.of("k");
    try (VectorSchemaRoot probe = skewed(4000, 1); VectorSchemaRoot build = skewed(100, 2);
         VectorSchemaRoot sample = HeavyKeys.sampleKeys(probe, keys, 1024, 0, allocator)) {
      assertEquals(1024, sample.getRowCount());
      HeavyKeys found = HeavyKeys.detect(sample, keys, 1.5 / reducers);
      assertEquals(1, found.size(), "only key 7 is heavy");
      HeavyKeys shipped;
      try (VectorSchemaRoot rows = found.heavyRows(sample, keys, allocator)) {
        assertEquals(List.of(List.<Object>of(7L)), TestBatches.rows(rows));
        shipped = HeavyKeys.detect(rows, keys, Double.MIN_VALUE);
      }
      assertEquals(1, shipped.size());

      JoinSpec spec = new JoinSpec(JoinType.INNER, keys, keys, false, "_r");
      List<List<Object>> expected = HashJoinTest.run(spec, List.of(probe), List.of(build), 1 << 20, allocator);
      List<VectorSchemaRoot> probeParts = JoinExchange.mapProbe(probe, keys, reducers, shipped, 3, allocator);
      List<VectorSchemaRoot> buildParts = JoinExchange.mapBuild(build, keys, reducers, shipped, allocator);
      try {
        List<List<Object>> got = new ArrayList<>();
        int reducersWithSeven = 0;
        int largest = 0;
        for (int p = 0; p < reducers; p++) {
          got.addAll(HashJoinTest.run(spec, List.of(probeParts.get(p)), List.of(buildParts.get(p)), 1 << 20,
              allocator));
          if (TestBatches.rows(probeParts.get(p)).contains(List.<Object>of(7L))) {
            reducersWithSeven++;
          }
          largest = Math.max(largest, probeParts.get(p).getRowCount());
        }
        assertEquals(TestBatches.sorted(expected), TestBatches.sorted(got));
        assertEquals(reducers, reducersWithSeven, "key 7's probe rows reach every reducer");
        assertTrue(largest < probe.getRowCount() / 4, "no reducer gets the heavy key alone: largest " + largest);
      } finally {
        TestBatches.closeAll(probeParts);
        TestBatches.closeAll(buildParts);
      }
    }
  }
}
