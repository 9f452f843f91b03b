package dev.weft.data;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A sort followed by a limit keeps k rows per block before the sort's exchange (top-k), and still sorts right. */
class TopKTest {
    static Weft weft;

    @BeforeAll
    static void startCluster() {
        DataContext.setCurrent(DataContext.builder().progressBars(false).build());
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

    @Test
    void sortThenLimitBecomesTopKInTheExplainedPlan() {
        Dataset ds = Datasets.range(20_000).withColumn("k", col("id").mod(97L)).sort(new String[] {"k", "id"},
                new boolean[] {true, false}).limit(5);
        String plan = ds.explain();
        assertTrue(plan.contains("TopK[5 by k desc, id]"), plan);
        assertTrue(plan.indexOf("TopK") < plan.indexOf("Sort") || plan.lastIndexOf("TopK") > 0, plan);
    }

    @Test
    void topKGivesTheSameRowsAsAFullSort() {
        Dataset base = Datasets.range(50_000).repartition(8).withColumn("k", col("id").mod(1000L));
        List<Row> top = base.sort(new String[] {"k", "id"}, new boolean[] {true, true}).limit(7).takeAll();
        assertEquals(7, top.size());
        // k = 999 for ids 49999, 48999, ..., the 7 largest such ids in descending order
        for (int i = 0; i < 7; i++) {
            assertEquals(999L, top.get(i).getLong("k"));
            assertEquals(49_999L - 1000L * i, top.get(i).getLong("id"));
        }
        List<Row> smallest = base.sort("k").take(3);
        assertEquals(List.of(0L, 0L, 0L), smallest.stream().map(r -> r.getLong("k")).toList());
    }

    @Test
    void eachBlockKeepsOnlyItsFirstKRowsInSortOrder() throws Exception {
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(Row.of("id", (long) i, "k", (long) ((i * 37) % 101)));
        }
        try (var allocator = dev.weft.data.internal.arrow.DataAllocators.child("top-k");
             var block = dev.weft.data.internal.arrow.RowBatches.fromRows(rows, allocator, "test", null)) {
            var topK = new dev.weft.data.internal.kernels.TopK(List.of(dev.weft.data.internal.kernels.SortKey.desc("k"),
                    dev.weft.data.internal.kernels.SortKey.asc("id")), 4);
            try (var kept = topK.apply(block)) {
                List<Row> out = dev.weft.data.internal.arrow.RowBatches.toRows(kept);
                assertEquals(4, out.size());
                assertEquals(List.of(100L, 100L, 100L, 100L), out.stream().map(r -> r.getLong("k")).toList());
                List<Long> ids = out.stream().map(r -> r.getLong("id")).toList();
                assertEquals(ids.stream().sorted().toList(), ids);
            }
        }
        String plan = Datasets.range(40_000).repartition(4).sort("id", true).limit(10).explain();
        assertTrue(plan.contains("TaskPoolMap: MapBatches[TopK[10 by id desc]]"), plan);
    }
}
