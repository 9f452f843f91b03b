package dev.weft.data;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.NodeInfo;
import dev.weft.api.Weft;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streaming group-by and hash join on the embedded engine: a group-by or a join over many times its byte budget
 * keeps the object store's use bounded (its reducers merge or probe and free pieces while the input is still being
 * produced, and each input block is freed once mapped), and
 * skewed keys (one key holding most rows) give the reference answer for the group-by and every join type.
 */
class StreamingShuffleTest {
    static final long MIB = 1L << 20;
    static Weft weft;

    @BeforeAll
    static void startCluster() {
        weft = WeftCluster.start(2, 1, 256 * MIB);
    }

    @AfterAll
    static void stopCluster() {
        weft.close();
    }

    @AfterEach
    void noLeaks() {
        WeftCluster.assertNoLeaks();
    }

    @Test
    void aGroupByOverManyTimesItsBudgetKeepsTheStoreBounded() throws InterruptedException {
        long rows = 4_000_000; // three long columns: 96 MiB of input
        long budget = 4 * MIB;
        // rows, not partial states, go through the exchange: the case its budget is for
        DataContext ctx = DataContext.current().toBuilder().globalBudgetBytes(budget).partialAggregation(false)
                .targetMinBlockSizeBytes(MIB).targetMaxBlockSizeBytes(MIB).readParallelism(96).build();
        Dataset grouped = Datasets.range(rows).withContext(ctx)
                .withColumn("k", col("id").mod(1000L)).withColumn("v", col("id").mod(7L))
                .groupBy("k").aggregate(Agg.count(), Agg.sum("v"));
        AtomicLong peak = new AtomicLong();
        List<Row> out = whileSamplingPeak(grouped, peak);
        assertEquals(1000, out.size());
        for (Row r : out) {
            long k = r.getLong("k");
            long count = rows / 1000;
            long sum = 0;
            for (long id = k; id < rows; id += 1000) {
                sum += id % 7;
            }
            assertEquals(count, r.getLong("count()"), "count of " + k);
            assertEquals(sum, r.getLong("sum(v)"), "sum of " + k);
        }
        long input = rows * 24;
        // the upstream pipeline's budget, the exchange's (blocks being mapped + pieces), and a block per running task
        long bound = 4 * budget;
        assertTrue(peak.get() > 0, "the sampler saw the store in use");
        assertTrue(peak.get() <= bound, "peak store use " + peak.get() + " bytes, bound " + bound + " for "
                + input + " bytes of input");
        assertTrue(input > 5 * bound, "the input is much larger than the bound");
        System.out.println("group-by of " + input + " input bytes: peak store use " + peak.get() + " bytes");
    }

    @Test
    void aGroupByFoldsRowsIntoPartialStatesInsideTheProducingTasks() throws InterruptedException {
        long rows = 4_000_000; // three long columns: 96 MiB of input
        DataContext fused = DataContext.current().toBuilder().globalBudgetBytes(4 * MIB)
                .targetMinBlockSizeBytes(MIB).targetMaxBlockSizeBytes(MIB).readParallelism(32).build();
        Dataset grouped = Datasets.range(rows).withContext(fused)
                .withColumn("k", col("id").mod(1000L)).withColumn("v", col("id").mod(7L))
                .groupBy("k").aggregate(Agg.count(), Agg.sum("v"), Agg.mean("v"));
        AtomicLong peak = new AtomicLong();
        List<Row> out = whileSamplingPeak(grouped, peak);
        // no row goes through the store: each of the 32 read tasks stores at most 1000 partial states
        assertTrue(peak.get() < MIB, "peak store use " + peak.get() + " bytes for 96 MiB of input");
        Map<Long, Row> unfused = new HashMap<>();
        grouped.withContext(fused.toBuilder().partialAggregation(false).build()).takeAll()
                .forEach(r -> unfused.put(r.getLong("k"), r));
        assertEquals(1000, out.size());
        assertEquals(1000, unfused.size());
        for (Row r : out) {
            Row u = unfused.get(r.getLong("k"));
            assertEquals(rows / 1000, r.getLong("count()"));
            assertEquals(u.getLong("count()"), r.getLong("count()"));
            assertEquals(u.getLong("sum(v)"), r.getLong("sum(v)"));
            assertEquals(u.getDouble("mean(v)"), r.getDouble("mean(v)"), 1e-12);
        }
    }

    @Test
    void aJoinOverManyTimesItsBudgetKeepsTheStoreBounded() throws InterruptedException {
        long rows = 4_000_000; // three long columns: 96 MiB of probe input
        long budget = 4 * MIB;
        DataContext ctx = DataContext.current().toBuilder().globalBudgetBytes(budget)
                .targetMinBlockSizeBytes(MIB).targetMaxBlockSizeBytes(MIB).readParallelism(48).build();
        Dataset probe = Datasets.range(rows).withContext(ctx)
                .withColumn("k", col("id").mod(1000L)).withColumn("v", col("id").mod(7L));
        // Five of the thousand keys (so the output is small), each twice; never broadcast: a shuffled hash join.
        List<Map<String, Object>> items = new ArrayList<>();
        for (long k = 0; k < 5; k++) {
            items.add(row(k, 10 * k));
            items.add(row(k, 10 * k + 1));
        }
        for (JoinType how : List.of(JoinType.INNER, JoinType.LEFT_SEMI)) {
            Dataset joined = probe.join(Datasets.fromItems(items).withContext(ctx), "k", how, false, -1);
            AtomicLong peak = new AtomicLong();
            List<Row> out = whileSamplingPeak(joined, peak);
            long perKey = rows / 1000;
            long expectedRows = (how == JoinType.INNER ? 2 : 1) * 5 * perKey;
            assertEquals(expectedRows, out.size(), "rows of the " + how + " join");
            long sumV = 0;
            long expectedSumV = 0;
            for (Row r : out) {
                assertTrue(r.getLong("k") < 5 && r.getLong("id") % 1000 == r.getLong("k"), "row " + r);
                sumV += r.getLong("v");
            }
            for (long id = 0; id < rows; id++) {
                if (id % 1000 < 5) {
                    expectedSumV += (how == JoinType.INNER ? 2 : 1) * (id % 7);
                }
            }
            assertEquals(expectedSumV, sumV, "sum of v over the " + how + " join");
            long input = rows * 24;
            // The upstream pipeline's budget (its output blocks wait in the store for the join), the exchange's
            // (probe blocks being mapped, counted with the pieces their tasks put, and pieces not yet probed), a
            // block per running task, the build side and the output blocks (small here).
            long bound = 5 * budget;
            assertTrue(peak.get() > 0, "the sampler saw the store in use");
            assertTrue(peak.get() <= bound, how + " join: peak store use " + peak.get() + " bytes, bound " + bound
                    + " for " + input + " bytes of probe input");
            assertTrue(input > 4 * bound, "the input is much larger than the bound");
            System.out.println(how + " join of " + input + " probe input bytes: peak store use " + peak.get()
                    + " bytes");
        }
    }

    /** Runs {@code ds} to its rows while a thread samples the store's use; {@code peak} gets the largest rise. */
    private static List<Row> whileSamplingPeak(Dataset ds, AtomicLong peak) throws InterruptedException {
        AtomicBoolean done = new AtomicBoolean();
        long baseline = storeUsed();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!done.get()) {
                peak.accumulateAndGet(storeUsed() - baseline, Math::max);
                Thread.onSpinWait();
            }
        });
        try {
            return ds.takeAll();
        } finally {
            done.set(true);
            sampler.join();
        }
    }

    private static long storeUsed() {
        return weft.nodes().stream().mapToLong(NodeInfo::objectStoreUsedBytes).sum();
    }

    static final int N = 120_000;

    /** 60 % of the rows have key 1, the rest keys id % 500. */
    static long skewedKey(long id) {
        return id % 10 < 6 ? 1 : id % 500;
    }

    static Dataset skewed() {
        DataContext ctx = DataContext.current().toBuilder().readParallelism(12).build();
        return Datasets.range(N).withContext(ctx).map(StreamingShuffleTest::withSkewedKey);
    }

    static Row withSkewedKey(Row r) {
        long id = r.getLong("id");
        return Row.of("id", id, "k", skewedKey(id));
    }

    @Test
    void aMaterializedInputCanBeGroupedTwice() {
        Dataset input = skewed().materialize();
        for (int round = 0; round < 2; round++) {
            List<Row> rows = input.groupBy("k").aggregate(Agg.count()).takeAll();
            assertEquals(201, rows.size(), "round " + round); // key 1 and the 200 keys id % 500 ending in 6..9
            assertEquals(N, rows.stream().mapToLong(r -> r.getLong("count()")).sum(), "round " + round);
        }
    }

    @Test
    void aSkewedGroupByMatchesReference() {
        Map<Long, long[]> ref = new HashMap<>();
        for (long id = 0; id < N; id++) {
            long[] a = ref.computeIfAbsent(skewedKey(id), x -> new long[2]);
            a[0]++;
            a[1] += id;
        }
        List<Row> rows = skewed().groupBy("k").aggregate(Agg.count(), Agg.sum("id")).takeAll();
        assertEquals(ref.size(), rows.size());
        for (Row r : rows) {
            long[] a = ref.get(r.getLong("k"));
            assertEquals(a[0], r.getLong("count()"), "count of " + r.getLong("k"));
            assertEquals(a[1], r.getLong("sum(id)"), "sum of " + r.getLong("k"));
        }
    }

    /** Right: keys 0..699 except multiples of 3 (so the heavy key 1 is there), keys ending in 1 twice, a null key. */
    static List<Map<String, Object>> rightItems() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (long k = 0; k < 700; k++) {
            if (k % 3 == 0) {
                continue;
            }
            items.add(row(k, 10 * k));
            if (k % 10 == 1) {
                items.add(row(k, 10 * k + 1));
            }
        }
        items.add(row(null, -1L));
        return items;
    }

    static Map<String, Object> row(Long k, long rv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", k);
        m.put("rv", rv);
        return m;
    }

    @Test
    void everyShuffledJoinTypeOverSkewedKeysMatchesReference() {
        for (JoinType how : JoinType.values()) {
            Dataset joined = skewed().join(Datasets.fromItems(rightItems()), "k", how, false, -1);
            assertEquals(reference(how), actual(joined.takeAll(), how), "join " + how);
        }
    }

    static TreeMap<String, Integer> reference(JoinType how) {
        Map<Long, List<Long>> byKey = new HashMap<>();
        for (Map<String, Object> r : rightItems()) {
            if (r.get("k") != null) {
                byKey.computeIfAbsent((Long) r.get("k"), x -> new ArrayList<>()).add((Long) r.get("rv"));
            }
        }
        TreeMap<String, Integer> out = new TreeMap<>();
        Set<Long> leftKeys = new HashSet<>();
        for (long id = 0; id < N; id++) {
            long k = skewedKey(id);
            leftKeys.add(k);
            List<Long> m = byKey.getOrDefault(k, List.of());
            switch (how) {
                case INNER, LEFT_OUTER, FULL_OUTER, RIGHT_OUTER -> {
                    for (long rv : m) {
                        out.merge(id + "|" + k + "|" + rv, 1, Integer::sum);
                    }
                    if (m.isEmpty() && (how == JoinType.LEFT_OUTER || how == JoinType.FULL_OUTER)) {
                        out.merge(id + "|" + k + "|null", 1, Integer::sum);
                    }
                }
                case LEFT_SEMI, LEFT_ANTI -> {
                    if (m.isEmpty() == (how == JoinType.LEFT_ANTI)) {
                        out.merge(id + "|" + k, 1, Integer::sum);
                    }
                }
                default -> { }
            }
        }
        for (Map<String, Object> r : rightItems()) {
            Long k = (Long) r.get("k");
            boolean matched = k != null && leftKeys.contains(k);
            switch (how) {
                case RIGHT_OUTER, FULL_OUTER -> {
                    if (!matched) {
                        out.merge("null|" + k + "|" + r.get("rv"), 1, Integer::sum);
                    }
                }
                case RIGHT_SEMI, RIGHT_ANTI -> {
                    if (matched == (how == JoinType.RIGHT_SEMI)) {
                        out.merge(k + "|" + r.get("rv"), 1, Integer::sum);
                    }
                }
                default -> { }
            }
        }
        return out;
    }

    static TreeMap<String, Integer> actual(List<Row> rows, JoinType how) {
        TreeMap<String, Integer> out = new TreeMap<>();
        for (Row r : rows) {
            String key = switch (how) {
                case LEFT_SEMI, LEFT_ANTI -> r.get("id") + "|" + r.get("k");
                case RIGHT_SEMI, RIGHT_ANTI -> r.get("k") + "|" + r.get("rv");
                default -> r.get("id") + "|" + r.get("k") + "|" + r.get("rv");
            };
            out.merge(key, 1, Integer::sum);
        }
        return out;
    }
}
