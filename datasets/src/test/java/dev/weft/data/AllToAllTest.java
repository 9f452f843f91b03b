package dev.weft.data;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Group-by, global aggregate and sort on the embedded engine, each against a plain-Java reference. */
class AllToAllTest {
    static final int N = 60_000;
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

    static long key(long id) {
        return (id * 7919) % 101;
    }

    static long value(long id) {
        return id % 1000;
    }

    /** id, k = key(id), v = value(id), in several blocks. */
    static Dataset data() {
        return Datasets.range(N).withColumn("k", col("id").times(7919L).mod(101L)).withColumn("v", col("id").mod(1000L));
    }

    @Test
    void groupByMatchesReference() {
        Map<Long, long[]> ref = new HashMap<>(); // count, sum, min, max
        Map<Long, Set<Long>> distinct = new HashMap<>();
        Map<Long, List<Long>> values = new HashMap<>();
        for (long id = 0; id < N; id++) {
            long[] a = ref.computeIfAbsent(key(id), k -> new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
            long v = value(id);
            a[0]++;
            a[1] += v;
            a[2] = Math.min(a[2], v);
            a[3] = Math.max(a[3], v);
            distinct.computeIfAbsent(key(id), k -> new HashSet<>()).add(v);
            values.computeIfAbsent(key(id), k -> new ArrayList<>()).add(v);
        }
        Dataset grouped = data().groupBy("k").aggregate(Agg.count(), Agg.sum("v"), Agg.min("v"), Agg.max("v"),
                Agg.mean("v"), Agg.std("v").as("sd"), Agg.countDistinct("v"));
        assertTrue(grouped.explain().contains("HashAggregate[keys=[k]"), grouped.explain());
        List<Row> rows = grouped.takeAll();
        assertEquals(ref.size(), rows.size());
        for (Row r : rows) {
            long k = r.getLong("k");
            long[] a = ref.get(k);
            assertEquals(a[0], r.getLong("count()"), "count of " + k);
            assertEquals(a[1], r.getLong("sum(v)"), "sum of " + k);
            assertEquals(a[2], r.getLong("min(v)"), "min of " + k);
            assertEquals(a[3], r.getLong("max(v)"), "max of " + k);
            assertEquals((double) a[1] / a[0], r.getDouble("mean(v)"), 1e-9);
            double mean = (double) a[1] / a[0];
            double m2 = 0;
            for (long v : values.get(k)) {
                m2 += (v - mean) * (v - mean);
            }
            assertEquals(Math.sqrt(m2 / (a[0] - 1)), r.getDouble("sd"), 1e-6);
            assertEquals(distinct.get(k).size(), r.getLong("count_distinct(v)"));
        }
    }

    @Test
    void groupByWithNullsAndFollowingTransforms() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("g", i % 3 == 0 ? null : "g" + (i % 4));
            m.put("x", i % 5 == 0 ? null : (long) i);
            items.add(m);
        }
        Map<String, long[]> ref = new HashMap<>();
        for (Map<String, Object> m : items) {
            long[] a = ref.computeIfAbsent((String) m.get("g"), k -> new long[2]);
            a[0]++;
            if (m.get("x") != null) {
                a[1]++;
            }
        }
        List<Row> rows = Datasets.fromItems(items).groupBy("g").aggregate(Agg.count(), Agg.count("x"))
                .filter(col("count()").gt(0L)).takeAll();
        assertEquals(ref.size(), rows.size());
        for (Row r : rows) {
            long[] a = ref.get(r.isNull("g") ? null : r.getString("g"));
            assertEquals(a[0], r.getLong("count()"));
            assertEquals(a[1], r.getLong("count(x)"));
        }
    }

    @Test
    void globalAggregate() {
        long sum = 0;
        for (long id = 0; id < N; id++) {
            sum += value(id);
        }
        Dataset agg = data().aggregate(Agg.count(), Agg.sum("v"), Agg.max("id"), Agg.countDistinct("k"));
        assertTrue(agg.explain().startsWith("Aggregate["), agg.explain());
        List<Row> rows = agg.takeAll();
        assertEquals(1, rows.size());
        assertEquals(N, rows.getFirst().getLong("count()"));
        assertEquals(sum, rows.getFirst().getLong("sum(v)"));
        assertEquals(N - 1, rows.getFirst().getLong("max(id)"));
        assertEquals(101, rows.getFirst().getLong("count_distinct(k)"));
    }

    @Test
    void sortGivesGlobalOrder() {
        Dataset sorted = data().sort("v", true);
        assertTrue(sorted.explain().contains("Sort[v desc]"), sorted.explain());
        List<Row> rows = sorted.takeAll();
        assertEquals(N, rows.size());
        List<Long> expected = new ArrayList<>();
        for (long id = 0; id < N; id++) {
            expected.add(value(id));
        }
        expected.sort((a, b) -> Long.compare(b, a));
        List<Long> got = rows.stream().map(r -> r.getLong("v")).toList();
        assertEquals(expected, got);
        assertEquals(N, data().sort("v").count());
    }

    @Test
    void multiKeySortAndMaterialize() {
        Dataset sorted = data().sort(new String[] {"k", "id"}, new boolean[] {false, true}).materialize();
        List<Row> rows = sorted.takeAll();
        assertEquals(N, rows.size());
        for (int i = 1; i < rows.size(); i++) {
            Row p = rows.get(i - 1);
            Row c = rows.get(i);
            assertTrue(p.getLong("k") < c.getLong("k")
                    || (p.getLong("k") == c.getLong("k") && p.getLong("id") > c.getLong("id")), "rows " + p + ", " + c);
        }
        // the materialized blocks stay readable
        assertEquals(N, sorted.count());
    }

    @Test
    void sortNullsFirstAscending() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("x", i % 7 == 0 ? null : (long) (50 - i));
            items.add(m);
        }
        List<Row> rows = Datasets.fromItems(items).sort("x").takeAll();
        int nulls = (int) items.stream().filter(m -> m.get("x") == null).count();
        for (int i = 0; i < nulls; i++) {
            assertNull(rows.get(i).get("x"));
        }
        for (int i = nulls + 1; i < rows.size(); i++) {
            assertTrue(rows.get(i - 1).getLong("x") <= rows.get(i).getLong("x"));
        }
    }

    @Test
    void randomShuffleKeepsEveryRowInANewOrder() {
        Dataset input = data().materialize();
        List<Long> a = input.randomShuffle(7).takeAll().stream().map(r -> r.getLong("id")).toList();
        List<Long> b = input.randomShuffle(7).takeAll().stream().map(r -> r.getLong("id")).toList();
        assertTrue(a.equals(b), "the same seed over the same blocks gave two orders");
        List<Long> sorted = new ArrayList<>(a);
        sorted.sort(null);
        List<Long> all = new ArrayList<>();
        for (long id = 0; id < N; id++) {
            all.add(id);
        }
        assertEquals(all, sorted);
        assertTrue(!a.equals(all), "shuffled order equals the input order");
        assertTrue(data().randomShuffle(7).explain().contains("RandomShuffle[seed=7]"));
    }

    @Test
    void repartitionMakesNBlocksWithEveryRow() {
        Dataset r = data().repartition(3).materialize();
        assertEquals(N, r.count());
        long blocks = 0;
        long sum = 0;
        try (CloseableIterator<org.apache.arrow.vector.VectorSchemaRoot> it = r.iterBatches()) {
            while (it.hasNext()) {
                var ids = (org.apache.arrow.vector.BigIntVector) it.next().getVector("id");
                blocks++;
                for (int i = 0; i < ids.getValueCount(); i++) {
                    sum += ids.get(i);
                }
            }
        }
        assertEquals(3, blocks);
        assertEquals((long) N * (N - 1) / 2, sum);
    }

    @Test
    void unionConcatenatesRowsOfEveryInput() {
        Dataset m = Datasets.range(100).materialize();
        Dataset u = Datasets.range(1_000).union(m, Datasets.range(50).sort("id", true));
        assertTrue(u.explain().contains("Union[3 inputs]"), u.explain());
        List<Row> rows = u.takeAll();
        assertEquals(1_150, rows.size());
        long sum = rows.stream().mapToLong(r -> r.getLong("id")).sum();
        assertEquals(999L * 1000 / 2 + 99L * 100 / 2 + 49L * 50 / 2, sum);
        assertEquals(1_150, u.count());
        // the materialized input stays readable after the union ran
        assertEquals(100, m.count());
        assertEquals(100, m.takeAll().size());
    }
}
