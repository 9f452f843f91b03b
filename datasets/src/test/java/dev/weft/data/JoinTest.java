package dev.weft.data;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every join type, broadcast and shuffled, on the embedded engine against a nested-loop reference. */
class JoinTest {
    static final int N = 20_000;
    static Weft weft;

    @BeforeAll
    static void startCluster() {
        weft = WeftCluster.start(2, 2, 0);
    }

    @AfterAll
    static void stopCluster() {
        weft.close();
    }

    @AfterEach
    void noLeaks() {
        WeftCluster.assertNoLeaks();
    }

    /** Left: id, k = id % 500. */
    static Dataset left() {
        return Datasets.range(N).withColumn("k", col("id").mod(500L));
    }

    /** Right: keys 0..699 except multiples of 3, keys ending in 1 twice, plus a null key; rv = 10 * k (+1 dup). */
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

    /** Sorted multiset of "id|k|rv" strings ("null" for absent sides), the reference answer. */
    static TreeMap<String, Integer> reference(JoinType how) {
        List<Map<String, Object>> right = rightItems();
        Map<Long, List<Long>> byKey = new HashMap<>();
        for (Map<String, Object> r : right) {
            if (r.get("k") != null) {
                byKey.computeIfAbsent((Long) r.get("k"), x -> new ArrayList<>()).add((Long) r.get("rv"));
            }
        }
        TreeMap<String, Integer> out = new TreeMap<>();
        java.util.Set<Long> leftKeys = new java.util.HashSet<>();
        for (long id = 0; id < N; id++) {
            long k = id % 500;
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
                case LEFT_SEMI -> {
                    if (!m.isEmpty()) {
                        out.merge(id + "|" + k, 1, Integer::sum);
                    }
                }
                case LEFT_ANTI -> {
                    if (m.isEmpty()) {
                        out.merge(id + "|" + k, 1, Integer::sum);
                    }
                }
                default -> { }
            }
        }
        for (Map<String, Object> r : right) {
            Long k = (Long) r.get("k");
            boolean matched = k != null && leftKeys.contains(k);
            switch (how) {
                case RIGHT_OUTER, FULL_OUTER -> {
                    if (!matched) {
                        out.merge("null|" + k + "|" + r.get("rv"), 1, Integer::sum);
                    }
                }
                case RIGHT_SEMI -> {
                    if (matched) {
                        out.merge(k + "|" + r.get("rv"), 1, Integer::sum);
                    }
                }
                case RIGHT_ANTI -> {
                    if (!matched) {
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

    @Test
    void everyJoinTypeBroadcastOrShuffledMatchesReference() {
        for (JoinType how : JoinType.values()) {
            TreeMap<String, Integer> expected = reference(how);
            Dataset broadcast = left().join(Datasets.fromItems(rightItems()), "k", how);
            assertEquals(expected, actual(broadcast.takeAll(), how), "join " + how + " (default plan)");
            Dataset shuffled = left().join(Datasets.fromItems(rightItems()), "k", how, false, -1);
            assertEquals(expected, actual(shuffled.takeAll(), how), "join " + how + " (shuffled)");
        }
    }

    @Test
    void everyShuffledJoinTypeMatchesReferenceWhenTasksBuildTheirTablesInChunks() {
        // A budget of 1 KiB and no minimum block size: a join task may hash about 128 bytes of its build side at a
        // time, so every reducer's build side is joined a piece at a time (full outer joins too).
        DataContext tiny = DataContext.current().toBuilder().globalBudgetBytes(1024).targetMinBlockSizeBytes(1)
                .build();
        for (JoinType how : JoinType.values()) {
            long chunked = WeftCluster.chunkedJoins();
            // Eight right blocks, so that either side gives every reducer several build pieces.
            Dataset right = Datasets.fromItems(rightItems()).withContext(tiny).repartition(8, false);
            Dataset joined = left().withContext(tiny).join(right, "k", how, false, -1).withContext(tiny);
            assertEquals(reference(how), actual(joined.takeAll(), how), "join " + how + " in chunks");
            assertTrue(WeftCluster.chunkedJoins() > chunked, how + ": join tasks built their tables in chunks");
        }
    }

    @Test
    void aBroadcastJoinWithTheHintMatchesReferenceFusedIntoTheLeftTasksOrNot() {
        DataContext unfused = DataContext.current().toBuilder().fuseBroadcastJoins(false).build();
        for (JoinType how : List.of(JoinType.INNER, JoinType.LEFT_OUTER, JoinType.LEFT_SEMI, JoinType.LEFT_ANTI)) {
            TreeMap<String, Integer> expected = reference(how);
            Dataset fused = left().join(Datasets.fromItems(rightItems()), "k", how, true);
            assertEquals(expected, actual(fused.takeAll(), how), "join " + how + " (fused broadcast)");
            String ops = fused.stats().toString();
            assertTrue(ops.contains("ReadRange->WithColumn->BroadcastJoin:"), "the probe runs in the left side's tasks: " + ops);
            Dataset stored = left().join(Datasets.fromItems(rightItems()), "k", how, true).withContext(unfused);
            assertEquals(expected, actual(stored.takeAll(), how), "join " + how + " (broadcast tasks)");
        }
    }

    @Test
    void aRightSideUnderTheThresholdIsBroadcastInTheLeftTasksAndOneOverItIsShuffled() {
        for (JoinType how : List.of(JoinType.INNER, JoinType.LEFT_OUTER, JoinType.LEFT_SEMI, JoinType.LEFT_ANTI)) {
            TreeMap<String, Integer> expected = reference(how);
            Dataset small = left().join(Datasets.fromItems(rightItems()), "k", how);
            assertEquals(expected, actual(small.takeAll(), how), "join " + how + " (broadcast by size)");
            String ops = small.stats().toString();
            assertTrue(ops.contains("ReadRange->WithColumn->BroadcastJoin:"),
                    "a right side under the threshold is probed in the left side's tasks: " + ops);
            // A threshold of one byte: the right side is read past it, then the join shuffles it from the start.
            Dataset large = left().join(Datasets.fromItems(rightItems()), "k", how, false, 1);
            assertEquals(expected, actual(large.takeAll(), how), "join " + how + " (over the threshold)");
            String shuffled = large.stats().toString();
            assertFalse(shuffled.contains("BroadcastJoin"), "over the threshold nothing is broadcast: " + shuffled);
        }
    }

    @Test
    void aFusedBroadcastJoinFeedsTheStagesAboveItAndAnEmptyRightSide() {
        long expectedSum = 0;
        long expectedRows = 0;
        for (Map.Entry<String, Integer> e : reference(JoinType.INNER).entrySet()) {
            expectedSum += Long.parseLong(e.getKey().split("\\|")[2]) * e.getValue();
            expectedRows += e.getValue();
        }
        Row r = left().join(Datasets.fromItems(rightItems()), "k", JoinType.INNER, true)
                .withColumn("rv2", col("rv").times(2L))
                .aggregate(Agg.count().as("n"), Agg.sum("rv2").as("s")).takeAll().getFirst();
        assertEquals(expectedRows, r.getLong("n"));
        assertEquals(2 * expectedSum, r.getLong("s"));

        Dataset none = Datasets.fromItems(rightItems()).filter(col("rv").lt(-100L));
        assertEquals(0, left().join(none, "k", JoinType.INNER, true).count());
        List<Row> outer = left().join(none, "k", JoinType.LEFT_OUTER, true).takeAll();
        assertEquals(N, outer.size());
        assertTrue(outer.stream().allMatch(x -> x.get("rv") == null), "no right row matches");
    }

    @Test
    void explainShowsTheJoin() {
        String plan = left().join(Datasets.fromItems(rightItems()), "k", JoinType.INNER, true).explain();
        assertTrue(plan.contains("HashJoin[INNER, left=[k], right=[k], broadcast]"), plan);
    }
}
