package dev.weft.data;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pipeline over several times the object store's capacity finishes with the store's use bounded, because the
 * executor launches reads only while the bytes in flight fit its budget (a quarter of the store here): the
 * executor's own count stays within the budget plus one task's output, and the store never holds more than half
 * the data. (The engine releases a task's own handles when its result is stored, so consumed blocks leave the
 * store at once and the store stays within its capacity.)
 */
class BoundedMemoryTest {
    static final long STORE = 4L << 20;
    static Weft weft;

    @BeforeAll
    static void startCluster() {
        weft = WeftCluster.start(1, 2, STORE);
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
    void aPipelineOverSixTimesTheStoreRunsInABoundedFootprint() {
        long rows = 6 * STORE / 8;
        DataContext ctx = DataContext.current().toBuilder()
                .globalBudgetBytes(STORE / 4)
                .targetMinBlockSizeBytes(1 << 20).targetMaxBlockSizeBytes(2 << 20)
                .readParallelism(12).build();
        Dataset ds = Datasets.range(rows).withContext(ctx)
                .filter(col("id").mod(2L).eq(0L))
                .mapBatches(DatasetOperationsTest::addScore, MapBatches.tasks().batchSize(65_536).numCpus(0.5))
                .select("score");
        double sum = 0;
        long seen = 0;
        try (CloseableIterator<org.apache.arrow.vector.VectorSchemaRoot> it = ds.iterBatches()) {
            while (it.hasNext()) {
                var v = (org.apache.arrow.vector.Float8Vector) it.next().getVector("score");
                for (int i = 0; i < v.getValueCount(); i++) {
                    sum += v.get(i);
                }
                seen += v.getValueCount();
            }
        }
        assertEquals(rows / 2, seen);
        double expected = 0.5 * 2.0 * ((rows / 2 - 1) * (rows / 2) / 2.0);
        assertEquals(expected, sum, expected * 1e-12);
        DatasetStats stats = ds.stats();
        assertTrue(stats.peakStoreBytes() > 0, stats.toString());
        long oneTask = 2 * ctx.targetMaxBlockSizeBytes();
        assertTrue(stats.peakInFlightBytes() <= ctx.globalBudgetBytes() + oneTask, stats.toString());
        assertTrue(stats.peakStoreBytes() <= STORE, "peak store use " + stats.peakStoreBytes() + " of "
                + 6 * STORE + " bytes processed\n" + stats);
        assertEquals(6 * STORE, stats.operators().getFirst().rows() * 8 * 2, stats.toString());
    }
}
