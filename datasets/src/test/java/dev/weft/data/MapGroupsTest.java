package dev.weft.data;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code groupBy(...).mapGroups(fn)} and {@code unique(col)} against plain-Java group-bys of the same rows. */
class MapGroupsTest {
    static final int N = 40_000;
    static final int KEYS = 997;
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

    static Dataset data() {
        return Datasets.range(N).withColumn("k", col("id").times(7919L).mod((long) KEYS)).withColumn("v", col("id").mod(100L));
    }

    /** One row per group: its key, its row count, the sum of v and the ids in the order the function saw them. */
    static VectorSchemaRoot summarize(VectorSchemaRoot group) {
        BigIntVector k = (BigIntVector) group.getVector("k");
        BigIntVector v = (BigIntVector) group.getVector("v");
        long sum = 0;
        for (int i = 0; i < group.getRowCount(); i++) {
            sum += v.get(i);
            if (k.get(i) != k.get(0)) {
                throw new IllegalStateException("two keys in one group: " + k.get(0) + " and " + k.get(i));
            }
        }
        var allocator = BatchFunction.allocator(group);
        BigIntVector key = new BigIntVector("k", allocator);
        BigIntVector rows = new BigIntVector("rows", allocator);
        BigIntVector total = new BigIntVector("sum", allocator);
        key.allocateNew(1);
        rows.allocateNew(1);
        total.allocateNew(1);
        key.set(0, k.get(0));
        rows.set(0, group.getRowCount());
        total.set(0, sum);
        for (BigIntVector x : List.of(key, rows, total)) {
            x.setValueCount(1);
        }
        return new VectorSchemaRoot(List.of(key.getField(), rows.getField(), total.getField()),
                List.of(key, rows, total), 1);
    }

    @Test
    void mapGroupsCallsTheFunctionOncePerGroupWithAllItsRows() {
        Map<Long, long[]> ref = new HashMap<>();
        for (long id = 0; id < N; id++) {
            long[] a = ref.computeIfAbsent((id * 7919) % KEYS, x -> new long[2]);
            a[0]++;
            a[1] += id % 100;
        }
        Dataset out = data().groupBy("k").mapGroups(MapGroupsTest::summarize);
        assertTrue(out.explain().contains("MapGroups[keys=[k], MapGroupsTest.summarize]"), out.explain());
        List<Row> rows = out.takeAll();
        assertEquals(ref.size(), rows.size(), "one output row per group");
        Set<Long> seen = new HashSet<>();
        for (Row r : rows) {
            long k = r.getLong("k");
            assertTrue(seen.add(k), "group " + k + " came twice");
            assertEquals(ref.get(k)[0], r.getLong("rows"), "rows of group " + k);
            assertEquals(ref.get(k)[1], r.getLong("sum"), "sum of group " + k);
        }
    }

    @Test
    void mapGroupsMayReturnTheGroupItselfAndKeepsEveryRow() {
        Dataset out = data().groupBy("k").mapGroups(g -> g);
        List<Row> rows = out.takeAll();
        assertEquals(N, rows.size());
        // each group's rows arrive together
        Map<Long, Integer> firstSeen = new HashMap<>();
        Map<Long, Integer> lastSeen = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            long k = rows.get(i).getLong("k");
            firstSeen.putIfAbsent(k, i);
            lastSeen.put(k, i);
        }
        Map<Long, Long> counts = new HashMap<>();
        rows.forEach(r -> counts.merge(r.getLong("k"), 1L, Long::sum));
        for (long k : counts.keySet()) {
            assertEquals(counts.get(k), (long) (lastSeen.get(k) - firstSeen.get(k) + 1), "rows of group " + k + " not together");
        }
        assertEquals((long) N * (N - 1) / 2, rows.stream().mapToLong(r -> r.getLong("id")).sum());
    }

    @Test
    void mapGroupsWithTwoKeysAndNullKeys() {
        List<Map<String, ?>> items = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Map<String, Object> m = new HashMap<>();
            m.put("a", i % 3 == 0 ? null : (long) (i % 4));
            m.put("b", "s" + (i % 2));
            m.put("v", (long) i);
            items.add(m);
        }
        Map<List<Object>, Long> ref = new HashMap<>();
        for (Map<String, ?> m : items) {
            ref.merge(java.util.Arrays.asList(m.get("a"), m.get("b")), 1L, Long::sum);
        }
        Map<List<Object>, Long> src = new HashMap<>();
        Datasets.fromItems(items).takeAll().forEach(r -> src.merge(java.util.Arrays.asList(r.get("a"), r.get("b")), 1L, Long::sum));
        assertEquals(ref, src, "source");
        Map<List<Object>, Long> rep = new HashMap<>();
        Datasets.fromItems(items).repartition(4, false).takeAll().forEach(r -> rep.merge(java.util.Arrays.asList(r.get("a"), r.get("b")), 1L, Long::sum));
        assertEquals(ref, rep, "repartitioned");
        List<Row> rows = Datasets.fromItems(items).repartition(4, false).groupBy("a", "b")
                .mapGroups(g -> g).takeAll();
        assertEquals(300, rows.size());
        Map<List<Object>, Long> got = new HashMap<>();
        rows.forEach(r -> got.merge(java.util.Arrays.asList(r.get("a"), r.get("b")), 1L, Long::sum));
        assertEquals(ref, got);
    }

    @Test
    void mapGroupsErrorsNameTheOperator() {
        Exception e = assertThrows(RuntimeException.class, () -> data().groupBy("k").mapGroups(g -> {
            throw new IllegalStateException("boom");
        }).takeAll());
        String all = BlockOperatorsTest.messages(e);
        assertTrue(all.contains("MapGroups(") && all.contains("boom"), all);
        assertThrows(IllegalArgumentException.class, () -> data().groupBy("k").mapGroups(null));
    }

    @Test
    void uniqueGivesEachDistinctValueOnce() {
        Set<Long> ref = new HashSet<>();
        for (long id = 0; id < N; id++) {
            ref.add((id * 7919) % KEYS);
        }
        List<Object> values = data().unique("k");
        assertEquals(ref.size(), values.size());
        assertEquals(ref, new HashSet<>(values));
        List<Map<String, ?>> items = new ArrayList<>();
        for (String s : new String[] {"x", null, "y", "x", null}) {
            Map<String, Object> m = new HashMap<>();
            m.put("s", s);
            items.add(m);
        }
        assertEquals(new HashSet<>(java.util.Arrays.asList("x", "y", null)),
                new HashSet<>(Datasets.fromItems(items).unique("s")));
    }
}
