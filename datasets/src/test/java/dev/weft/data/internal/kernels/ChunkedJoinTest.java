package dev.weft.data.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A join whose build side is split into chunks gives exactly the rows of the one-table join, for every join type
 * and either build side, with null and duplicate keys; and opens each build batch once.
 */
class ChunkedJoinTest {
  private BufferAllocator allocator;
  private final List<VectorSchemaRoot> left = new ArrayList<>();
  private final List<VectorSchemaRoot> right = new ArrayList<>();

  @BeforeEach
  void open() {
    allocator = new RootAllocator();
    for (int b = 0; b < 5; b++) {
      left.add(TestBatches.random(allocator, 150 + 40 * b, 90, 10 + b));
      right.add(TestBatches.random(allocator, 120 + 30 * b, 90, 50 + b));
    }
  }

  @AfterEach
  void close() {
    TestBatches.closeAll(left);
    TestBatches.closeAll(right);
    assertEquals(0, allocator.getAllocatedMemory(), "allocator must end at zero");
    allocator.close();
  }

  /** Hands out slices of {@code batches} (owned by the caller), counting opens. */
  private static final class Counting implements ChunkedJoin.Input {
    final List<VectorSchemaRoot> batches;
    int opens;

    Counting(List<VectorSchemaRoot> batches) {
      this.batches = batches;
    }

    @Override
    public int size() {
      return batches.size();
    }

    @Override
    public VectorSchemaRoot open(int index) {
      opens++;
      VectorSchemaRoot b = batches.get(index);
      return b.slice(0, b.getRowCount());
    }
  }

  private record Result(List<List<Object>> rows, int chunks, int buildOpens, int probeOpens) {
  }

  private Result run(JoinSpec spec, List<VectorSchemaRoot> l, List<VectorSchemaRoot> r, long chunkBytes,
      int maxRows) throws Exception {
    Counting build = new Counting(spec.buildLeft() ? l : r);
    Counting probe = new Counting(spec.buildLeft() ? r : l);
    List<VectorSchemaRoot> out = new ArrayList<>();
    try {
      int chunks = ChunkedJoin.run(spec, left.getFirst().getSchema(), right.getFirst().getSchema(), build, probe,
          chunkBytes, maxRows, allocator, out::add);
      for (VectorSchemaRoot o : out) {
        assertTrue(o.getRowCount() <= maxRows, "output batches hold at most maxRows rows");
      }
      return new Result(TestBatches.rows(out), chunks, build.opens, probe.opens);
    } finally {
      TestBatches.closeAll(out);
    }
  }

  @Test
  void everyTypeAndBuildSideMatchesTheReferenceInOneAndInManyChunks() throws Exception {
    long oneBatch = 1;
    long twoBatches;
    try (VectorSchemaRoot s = left.get(4).slice(0, left.get(4).getRowCount())) {
      twoBatches = 2 * s.getFieldVectors().stream().mapToLong(v -> v.getBufferSize()).sum();
    }
    for (JoinType type : JoinType.values()) {
      for (boolean buildLeft : new boolean[] {false, true}) {
        JoinSpec spec = JoinSpec.on(type, List.of("k64")).withBuildLeft(buildLeft);
        List<String> expected = TestBatches.sorted(HashJoinTest.reference(spec, left, right));
        String what = type + (buildLeft ? " building left" : " building right");

        Result whole = run(spec, left, right, Long.MAX_VALUE, 1000);
        assertEquals(1, whole.chunks(), what);
        assertEquals(expected, TestBatches.sorted(whole.rows()), what + " in one chunk");
        assertEquals(5, whole.probeOpens(), what + ": one pass over the probe side");

        Result each = run(spec, left, right, oneBatch, 97);
        assertEquals(5, each.chunks(), what + ": a chunk per build batch");
        assertEquals(5, each.buildOpens(), what + ": each build batch opened once");
        assertEquals(expected, TestBatches.sorted(each.rows()), what + " a batch per chunk");

        Result some = run(spec, left, right, twoBatches, 1000);
        assertTrue(some.chunks() > 1 && some.chunks() < 5, what + ": " + some.chunks() + " chunks");
        assertEquals(expected, TestBatches.sorted(some.rows()), what + " in " + some.chunks() + " chunks");
      }
    }
  }

  @Test
  void anEmptySideGivesTheReferenceToo() throws Exception {
    try (VectorSchemaRoot none = left.getFirst().slice(0, 0)) {
      for (JoinType type : JoinType.values()) {
        JoinSpec spec = JoinSpec.on(type, List.of("k64"));
        assertEquals(TestBatches.sorted(HashJoinTest.reference(spec, left, List.of(none))),
            TestBatches.sorted(run(spec, left, List.of(), 1, 1000).rows()), type + " with no right batches");
        assertEquals(TestBatches.sorted(HashJoinTest.reference(spec, List.of(none), right)),
            TestBatches.sorted(run(spec, List.of(), right, 1, 1000).rows()), type + " with no left batches");
      }
    }
  }

  @Test
  void aNonPositiveChunkSizeIsRefused() {
    JoinSpec spec = JoinSpec.on(JoinType.INNER, List.of("k64"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run(spec, left, right, 0, 1000));
    assertTrue(e.getMessage().contains("chunkBytes"), e.getMessage());
  }
}
