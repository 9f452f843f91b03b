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

    /** Left: id, a = id % 50, b = id % 7 (2,000 rows). */
    static Dataset twoKeyLeft() {
        return Datasets.range(2000).withColumn("a", col("id").mod(50L)).withColumn("b", col("id").mod(7L));
    }

    /** Right: x in 0..59, y in 0..6 where (x + y) % 4 != 0, rv = 10 x + y; pairs with x % 5 == 1 twice; a null x. */
    static List<Map<String, Object>> twoKeyRight() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (long x = 0; x < 60; x++) {
            for (long y = 0; y < 7; y++) {
                if ((x + y) % 4 == 0) {
                    continue;
                }
                for (int copy = 0; copy < (x % 5 == 1 ? 2 : 1); copy++) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("x", x);
                    m.put("y", y);
                    m.put("rv", 10 * x + y);
                    items.add(m);
                }
            }
        }
        Map<String, Object> nullKey = new LinkedHashMap<>();
        nullKey.put("x", null);
        nullKey.put("y", 3L);
        nullKey.put("rv", -1L);
        items.add(nullKey);
        return items;
    }

    /** Nested loops over the two-key data, as "id|a|b|x|y|rv" strings ("null" for an absent side). */
    static TreeMap<String, Integer> twoKeyReference(JoinType how) {
        TreeMap<String, Integer> out = new TreeMap<>();
        List<Map<String, Object>> right = twoKeyRight();
        boolean[] rightMatched = new boolean[right.size()];
        for (long id = 0; id < 2000; id++) {
            long a = id % 50;
            long b = id % 7;
            boolean matched = false;
            for (int j = 0; j < right.size(); j++) {
                Map<String, Object> r = right.get(j);
                if (r.get("x") != null && (Long) r.get("x") == a && (Long) r.get("y") == b) {
                    matched = true;
                    rightMatched[j] = true;
                    if (how == JoinType.INNER || how == JoinType.LEFT_OUTER || how == JoinType.RIGHT_OUTER
                            || how == JoinType.FULL_OUTER) {
                        out.merge(id + "|" + a + "|" + b + "|" + r.get("x") + "|" + r.get("y") + "|" + r.get("rv"), 1,
                                Integer::sum);
                    }
                }
            }
            if ((how == JoinType.LEFT_SEMI && matched) || (how == JoinType.LEFT_ANTI && !matched)) {
                out.merge(id + "|" + a + "|" + b, 1, Integer::sum);
            }
            if ((how == JoinType.LEFT_OUTER || how == JoinType.FULL_OUTER) && !matched) {
                out.merge(id + "|" + a + "|" + b + "|null|null|null", 1, Integer::sum);
            }
        }
        for (int j = 0; j < right.size(); j++) {
            Map<String, Object> r = right.get(j);
            String rs = r.get("x") + "|" + r.get("y") + "|" + r.get("rv");
            if ((how == JoinType.RIGHT_SEMI && rightMatched[j]) || (how == JoinType.RIGHT_ANTI && !rightMatched[j])) {
                out.merge(rs, 1, Integer::sum);
            }
            if ((how == JoinType.RIGHT_OUTER || how == JoinType.FULL_OUTER) && !rightMatched[j]) {
                out.merge("null|null|null|" + rs, 1, Integer::sum);
            }
        }
        return out;
    }

    static TreeMap<String, Integer> twoKeyActual(List<Row> rows, JoinType how) {
        TreeMap<String, Integer> out = new TreeMap<>();
        for (Row r : rows) {
            String key = switch (how) {
                case LEFT_SEMI, LEFT_ANTI -> r.get("id") + "|" + r.get("a") + "|" + r.get("b");
                case RIGHT_SEMI, RIGHT_ANTI -> r.get("x") + "|" + r.get("y") + "|" + r.get("rv");
                default -> r.get("id") + "|" + r.get("a") + "|" + r.get("b") + "|" + r.get("x") + "|" + r.get("y")
                        + "|" + r.get("rv");
            };
            out.merge(key, 1, Integer::sum);
        }
        return out;
    }

    @Test
    void aJoinOnTwoDifferentlyNamedKeysMatchesReferenceForEveryTypeShuffledAndBroadcast() {
        for (JoinType how : JoinType.values()) {
            TreeMap<String, Integer> expected = twoKeyReference(how);
            Dataset shuffled = twoKeyLeft().join(Datasets.fromItems(twoKeyRight()), List.of("a", "b"),
                    List.of("x", "y"), how, false, -1);
            assertEquals(expected, twoKeyActual(shuffled.takeAll(), how), "join " + how + " (shuffled)");
            Dataset byDefault = twoKeyLeft().join(Datasets.fromItems(twoKeyRight()), List.of("a", "b"),
                    List.of("x", "y"), how, true);
            assertEquals(expected, twoKeyActual(byDefault.takeAll(), how), "join " + how + " (broadcast hint)");
        }
    }

    @Test
    void aJoinOnTwoKeysOfTheSameNamesKeepsEachOnce() {
        Dataset right = Datasets.fromItems(twoKeyRight()).rename(Map.of("x", "a", "y", "b"));
        List<Row> rows = twoKeyLeft().join(right, List.of("a", "b"), JoinType.INNER).takeAll();
        assertEquals(twoKeyReference(JoinType.INNER).values().stream().mapToInt(Integer::intValue).sum(), rows.size());
        for (Row r : rows) {
            assertEquals(List.of("id", "a", "b", "rv"), List.copyOf(r.columns()));
            assertEquals(10 * r.getLong("a") + r.getLong("b"), r.getLong("rv"));
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> twoKeyLeft().join(right, List.of("a", "b"), List.of("a"), JoinType.INNER, false));
        assertTrue(e.getMessage().contains("same positive number of keys"), e.getMessage());
    }

    @Test
    void explainShowsTheJoin() {
        String plan = left().join(Datasets.fromItems(rightItems()), "k", JoinType.INNER, true).explain();
        assertTrue(plan.contains("HashJoin[INNER, left=[k], right=[k], broadcast]"), plan);
    }
}
