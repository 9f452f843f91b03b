package dev.weft.data;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Repartition without shuffle, block-order randomization, zip and the split family on the embedded engine,
 * each checked against the plain row list of the same materialized input.
 */
class BlockOperatorsTest {
    static final int N = 50_000;
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

    /** id and v = id * 3 in several blocks, materialized so that its row order is fixed. */
    static Dataset data() {
        return Datasets.range(N).withColumn("v", col("id").times(3L)).repartition(6, false).materialize();
    }

    static List<Long> ids(Dataset d) {
        return d.takeAll().stream().map(r -> r.getLong("id")).toList();
    }

    static List<Long> blockSizes(Dataset d) {
        List<Long> sizes = new ArrayList<>();
        try (CloseableIterator<VectorSchemaRoot> it = d.iterBatches()) {
            while (it.hasNext()) {
                sizes.add((long) it.next().getRowCount());
            }
        }
        return sizes;
    }

    @Test
    void repartitionWithoutShuffleKeepsOrderAndMakesExactlyNEqualBlocks() {
        Dataset input = data();
        List<Long> reference = ids(input);
        for (int n : new int[] {1, 4, 6, 13}) {
            Dataset r = input.repartition(n, false);
            assertTrue(r.explain().contains("Repartition[" + n + ", shuffle=false]"), r.explain());
            assertEquals(reference, ids(r), "rows of repartition(" + n + ", false)");
            List<Long> sizes = blockSizes(r);
            assertEquals(n, sizes.size(), "blocks of repartition(" + n + ", false): " + sizes);
            long min = sizes.stream().mapToLong(x -> x).min().orElseThrow();
            long max = sizes.stream().mapToLong(x -> x).max().orElseThrow();
            assertTrue(max - min <= 1, "uneven blocks " + sizes);
        }
        // more blocks than rows: every row once, the remaining blocks empty
        Dataset tiny = Datasets.range(3).repartition(5, false);
        assertEquals(List.of(0L, 1L, 2L), ids(tiny).stream().sorted().toList());
        assertEquals(5, blockSizes(tiny).size());
        assertTrue(input.repartition(4).explain().contains("Repartition[4]"), "repartition(n) still shuffles");
        assertThrows(IllegalArgumentException.class, () -> input.repartition(0, false));
    }

    @Test
    void randomizeBlockOrderPermutesWholeBlocksReproducibly() {
        Dataset input = data();
        List<List<Long>> blocks = new ArrayList<>();
        try (CloseableIterator<VectorSchemaRoot> it = input.iterBatches()) {
            while (it.hasNext()) {
                BigIntVector v = (BigIntVector) it.next().getVector("id");
                List<Long> b = new ArrayList<>();
                for (int i = 0; i < v.getValueCount(); i++) {
                    b.add(v.get(i));
                }
                blocks.add(b);
            }
        }
        Dataset r = input.randomizeBlockOrder(42);
        assertTrue(r.explain().contains("RandomizeBlockOrder[seed=42]"), r.explain());
        List<Long> a = ids(r);
        assertEquals(a, ids(input.randomizeBlockOrder(42)), "same seed, same order");
        assertNotEquals(ids(input), a, "6 blocks came out in their original order");
        // the output is the input blocks, each intact, in some order
        List<Long> rebuilt = new ArrayList<>();
        int pos = 0;
        Set<Integer> used = new HashSet<>();
        while (pos < a.size()) {
            int found = -1;
            for (int b = 0; b < blocks.size(); b++) {
                if (!used.contains(b) && blocks.get(b).getFirst().equals(a.get(pos))) {
                    found = b;
                }
            }
            assertTrue(found >= 0, "no input block starts with row " + a.get(pos));
            used.add(found);
            assertEquals(blocks.get(found), a.subList(pos, pos + blocks.get(found).size()));
            rebuilt.addAll(blocks.get(found));
            pos += blocks.get(found).size();
        }
        assertEquals(blocks.size(), used.size());
    }

    @Test
    void zipConcatenatesColumnsRowByRow() {
        Dataset input = data();
        Dataset left = input.select("id");
        // other block boundaries on the right side: 7 blocks against 6
        Dataset right = input.withColumn("w", col("v").plus(1L)).select("v", "w").repartition(7, false);
        Dataset z = left.zip(right);
        assertTrue(z.explain().contains("Zip[2 inputs]"), z.explain());
        List<Row> rows = z.takeAll();
        assertEquals(N, rows.size());
        for (Row r : rows) {
            assertEquals(r.getLong("id") * 3, r.getLong("v"), "row " + r);
            assertEquals(r.getLong("id") * 3 + 1, r.getLong("w"), "row " + r);
        }
        assertEquals(List.of("id", "v", "w"), z.schema().getFields().stream().map(f -> f.getName()).toList());

        // two independent pipelines line up because the sides of a zip run in input order
        Dataset twice = Datasets.range(N).filter(col("id").ge(0L)).withColumn("w", col("id").times(2L)).select("w");
        List<Row> fresh = Datasets.range(N).map(r -> r).zip(twice).takeAll();
        assertEquals(N, fresh.size());
        for (Row r : fresh) {
            assertEquals(r.getLong("id") * 2, r.getLong("w"), "row " + r);
        }
    }

    @Test
    void zipRejectsDifferentRowCountsAndCommonColumns() {
        Exception counts = assertThrows(RuntimeException.class,
                () -> Datasets.range(10).zip(Datasets.range(12).select("id").rename("id", "x")).takeAll());
        assertTrue(messages(counts).contains("10 rows on the left and 12 on the right"), messages(counts));
        Exception names = assertThrows(RuntimeException.class,
                () -> Datasets.range(10).zip(Datasets.range(10)).takeAll());
        assertTrue(messages(names).contains("[id]"), messages(names));
        assertThrows(IllegalArgumentException.class, () -> Datasets.range(1).zip(null));
    }

    @Test
    void splitEqualGivesEqualDisjointPartsInOrder() {
        Dataset input = data();
        List<Long> reference = ids(input);
        List<Dataset> parts = input.split(7, true);
        assertEquals(7, parts.size());
        List<Long> joined = new ArrayList<>();
        for (Dataset p : parts) {
            assertEquals(N / 7, p.count());
            joined.addAll(ids(p));
        }
        assertEquals(reference.subList(0, N / 7 * 7), joined);
    }

    @Test
    void splitUnequalCutsAtBlockBoundariesAndKeepsEveryRow() {
        Dataset input = data();
        List<Long> reference = ids(input);
        List<Dataset> parts = input.split(3, false);
        assertEquals(3, parts.size());
        List<Long> joined = new ArrayList<>();
        for (Dataset p : parts) {
            assertEquals(2, blockSizes(p).size(), "6 blocks over 3 splits");
            joined.addAll(ids(p));
        }
        assertEquals(reference, joined);
    }

    @Test
    void splitAtAndProportionatelyCutAtTheRightRows() {
        Dataset input = data();
        List<Long> reference = ids(input);
        List<Dataset> at = input.splitAt(10, 10, 12_345, N + 100);
        assertEquals(5, at.size());
        assertEquals(reference.subList(0, 10), ids(at.get(0)));
        assertEquals(List.of(), ids(at.get(1)));
        assertEquals(reference.subList(10, 12_345), ids(at.get(2)));
        assertEquals(reference.subList(12_345, N), ids(at.get(3)));
        assertEquals(0, at.get(4).count());

        List<Dataset> prop = input.splitProportionately(0.2, 0.5);
        assertEquals(3, prop.size());
        assertEquals(reference.subList(0, 10_000), ids(prop.get(0)));
        assertEquals(reference.subList(10_000, 35_000), ids(prop.get(1)));
        assertEquals(reference.subList(35_000, N), ids(prop.get(2)));
        // the parts are datasets like any other
        assertEquals(reference.subList(10_000, 35_000).stream().mapToLong(x -> x).sum(), (long) prop.get(1).sum("id"));
    }

    @Test
    void trainTestSplitShufflesThenSplits() {
        Dataset input = data();
        List<Dataset> tt = input.trainTestSplit(0.25, 9);
        assertEquals(2, tt.size());
        List<Long> train = ids(tt.get(0));
        List<Long> test = ids(tt.get(1));
        assertEquals(N - N / 4, train.size());
        assertEquals(N / 4, test.size());
        Set<Long> all = new HashSet<>(train);
        all.addAll(test);
        assertEquals(N, all.size(), "train and test overlap or lose rows");
        assertNotEquals(ids(input).subList(0, 100), train.subList(0, 100), "not shuffled");
        assertEquals(test, ids(input.trainTestSplit(0.25, 9).get(1)), "same seed, same split");
    }

    @Test
    void badSplitArgumentsNameTheValue() {
        Dataset d = Datasets.range(10);
        assertMessage(() -> d.split(0, true), "got 0");
        assertMessage(() -> d.split(-3, false), "got -3");
        assertMessage(() -> d.splitAt(5, 3), "3 after 5");
        assertMessage(() -> d.splitAt(-1), "got -1");
        assertMessage(() -> d.splitAt(), "at least one index");
        assertMessage(() -> d.splitProportionately(0.5, 0.5), "summing to 1.0");
        assertMessage(() -> d.splitProportionately(0.7, 0.6), "summing to 1.2");
        assertMessage(() -> d.splitProportionately(0.0), "got 0.0");
        assertMessage(() -> d.splitProportionately(-0.1, 0.2), "got -0.1");
        assertMessage(() -> d.trainTestSplit(1.0, 1), "got 1.0");
        assertMessage(() -> d.trainTestSplit(0, 1), "got 0.0");
        assertMessage(() -> d.repartition(-2, false), "got -2");
    }

    static void assertMessage(Runnable r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
    }

    static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
