package dev.weft.data.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Map and reduce sides run over several blocks and reducers, as the operators run them, against one-batch answers. */
class ExchangeTest {
  private static final int REDUCERS = 3;
  private BufferAllocator allocator;
  private final List<VectorSchemaRoot> blocks = new ArrayList<>();

  @BeforeEach
  void open() {
    allocator = new RootAllocator();
    for (int b = 0; b < 4; b++) {
      blocks.add(TestBatches.random(allocator, 700 + 300 * b, 120, 100 + b));
    }
  }

  @AfterEach
  void close() {
    TestBatches.closeAll(blocks);
    assertEquals(0, allocator.getAllocatedMemory(), "allocator must end at zero");
    allocator.close();
  }

  /** Runs map over every block, hands piece r of every block to reducer r, and collects the reducers' rows. */
  private List<List<List<Object>>> shuffle(Function<Integer, List<VectorSchemaRoot>> map,
      Function<List<VectorSchemaRoot>, List<VectorSchemaRoot>> reduce) {
    List<List<VectorSchemaRoot>> byReducer = new ArrayList<>();
    for (int r = 0; r < REDUCERS; r++) {
      byReducer.add(new ArrayList<>());
    }
    List<List<List<Object>>> out = new ArrayList<>();
    try {
      for (int b = 0; b < blocks.size(); b++) {
        List<VectorSchemaRoot> pieces = map.apply(b);
        for (int r = 0; r < pieces.size(); r++) {
          byReducer.get(r).add(pieces.get(r));
        }
      }
      for (List<VectorSchemaRoot> pieces : byReducer) {
        List<VectorSchemaRoot> result = reduce.apply(pieces);
        out.add(TestBatches.rows(result));
        TestBatches.closeAll(result);
      }
    } finally {
      byReducer.forEach(TestBatches::closeAll);
    }
    return out;
  }

  private static List<List<Object>> flat(List<List<List<Object>>> perReducer) {
    List<List<Object>> all = new ArrayList<>();
    perReducer.forEach(all::addAll);
    return all;
  }

  @Test
  void shuffledGroupByWithAndWithoutCombinerMatchesOneStage() {
    List<String> keys = List.of("s", "flag");
    List<Aggregate> aggs = List.of(Aggregate.count(), Aggregate.sum("k32"), Aggregate.max("f64"),
        Aggregate.countDistinct("k64"));
    HashAggregator one = new HashAggregator(blocks.getFirst().getSchema(), keys, aggs, 16);
    blocks.forEach(one::add);
    List<List<Object>> expected;
    try (VectorSchemaRoot r = one.result(allocator)) {
      expected = TestBatches.rows(r);
    }
    for (boolean combine : new boolean[] {true, false}) {
      List<List<List<Object>>> got = shuffle(
          b -> GroupByExchange.map(blocks.get(b), keys, aggs, REDUCERS, combine || b % 2 == 0, allocator),
          pieces -> List.of(GroupByExchange.reduce(pieces, blocks.getFirst().getSchema(), keys, aggs, allocator)));
      assertEquals(TestBatches.sorted(expected), TestBatches.sorted(flat(got)), "combine=" + combine);
    }
  }

  @Test
  void sampledRangeSortGivesTheGlobalOrderAcrossReducers() {
    List<SortKey> keys = List.of(SortKey.desc("k64"), SortKey.asc("s"));
    List<VectorSchemaRoot> samples = new ArrayList<>();
    for (int b = 0; b < blocks.size(); b++) {
      samples.add(SortExchange.sample(blocks.get(b), keys, 50, 7, b, allocator));
    }
    try (VectorSchemaRoot bounds = SortExchange.boundaries(samples, keys, REDUCERS, allocator);
        VectorSchemaRoot all = ColumnGather.concat(blocks.getFirst().getSchema(), blocks, allocator);
        VectorSchemaRoot expected = Sorter.sort(all, keys, allocator)) {
      List<List<List<Object>>> got = shuffle(b -> SortExchange.map(blocks.get(b), keys, bounds, allocator),
          pieces -> SortExchange.reduce(pieces, keys, 500, allocator));
      // Stable: rows with equal keys keep the order of blocks and of rows in them, as one big stable sort does.
      List<List<Object>> rows = flat(got);
      List<List<Object>> want = TestBatches.rows(expected);
      assertEquals(want, rows);
      var cmp = SorterTest.reference(expected, keys);
      for (int i = 0; i + 1 < rows.size(); i++) {
        assertEquals(true, cmp.compare(rows.get(i), rows.get(i + 1)) <= 0, "rows " + i + " and " + (i + 1));
      }
    } finally {
      TestBatches.closeAll(samples);
    }
  }

  @Test
  void randomShuffleKeepsEveryRowAndRepeatsForTheSameSeed() {
    List<List<Object>> a = flat(shuffle(b -> ShuffleExchange.map(blocks.get(b), REDUCERS, 11, b, allocator),
        pieces -> List.of(ShuffleExchange.reduce(pieces, 11, 0, allocator))));
    List<List<Object>> again = flat(shuffle(b -> ShuffleExchange.map(blocks.get(b), REDUCERS, 11, b, allocator),
        pieces -> List.of(ShuffleExchange.reduce(pieces, 11, 0, allocator))));
    List<List<Object>> other = flat(shuffle(b -> ShuffleExchange.map(blocks.get(b), REDUCERS, 12, b, allocator),
        pieces -> List.of(ShuffleExchange.reduce(pieces, 12, 0, allocator))));
    assertEquals(TestBatches.sorted(TestBatches.rows(blocks)), TestBatches.sorted(a));
    assertEquals(a.toString(), again.toString());
    assertNotEquals(a.toString(), other.toString());
  }

  @Test
  void shuffledHashJoinMatchesTheReferenceForEveryType() {
    List<VectorSchemaRoot> left = blocks.subList(0, 2);
    List<VectorSchemaRoot> right = blocks.subList(2, 4);
    for (JoinType type : JoinType.values()) {
      JoinSpec spec = JoinSpec.on(type, List.of("k64"));
      List<List<VectorSchemaRoot>> leftParts = new ArrayList<>();
      List<List<VectorSchemaRoot>> rightParts = new ArrayList<>();
      List<List<Object>> got = new ArrayList<>();
      try {
        for (VectorSchemaRoot b : left) {
          leftParts.add(JoinExchange.map(b, List.of("k64"), REDUCERS, allocator));
        }
        for (VectorSchemaRoot b : right) {
          rightParts.add(JoinExchange.map(b, List.of("k64"), REDUCERS, allocator));
        }
        for (int r = 0; r < REDUCERS; r++) {
          int rr = r;
          List<VectorSchemaRoot> out = JoinExchange.reduce(spec, left.getFirst().getSchema(),
              right.getFirst().getSchema(), leftParts.stream().map(p -> p.get(rr)).toList(),
              rightParts.stream().map(p -> p.get(rr)).toList(), 1000, allocator);
          got.addAll(TestBatches.rows(out));
          TestBatches.closeAll(out);
        }
      } finally {
        leftParts.forEach(TestBatches::closeAll);
        rightParts.forEach(TestBatches::closeAll);
      }
      assertEquals(TestBatches.sorted(HashJoinTest.reference(spec, left, right)), TestBatches.sorted(got),
          type.toString());
    }
  }
}
