package dev.weft.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.NodeInfo;
import dev.weft.api.Weft;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The default in-flight budget follows the object store the nodes really have (here the configured 64 MiB), not
 * a guess from the machine's RAM, and a read is cut into tasks that fit it. Before, a 64 MiB store ran under a
 * budget of 30 % of RAM with read tasks as large as the store, and spilled most of what passed through it.
 */
class StoreBudgetTest {
    static final long STORE = 64L << 20;
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

    private static long spilled() {
        return weft.nodes().stream().mapToLong(NodeInfo::totalSpilledBytes).sum();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aPipelineOverTwiceTheStoreRunsUnderAFractionOfItWithoutSpilling() {
        assertEquals(STORE, weft.nodes().stream().mapToLong(NodeInfo::objectStoreCapacityBytes).sum());
        DataContext defaults = DataContext.current();
        long rows = 2 * STORE / 8;
        long spilledBefore = spilled();
        Dataset ds = Datasets.range(rows)
                .mapBatches(DatasetOperationsTest::addScore, MapBatches.tasks().batchSize(65_536));

        assertEquals(rows, ds.count());

        DatasetStats stats = ds.stats();
        assertEquals((long) (defaults.objectStoreBudgetFraction() * STORE), stats.budgetBytes(), stats.toString());
        assertTrue(stats.peakStoreBytes() <= STORE / 2, stats.toString());
        assertEquals(spilledBefore, spilled(), "bytes spilled running\n" + stats);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anExplicitBudgetWins() {
        DataContext explicit = DataContext.current().toBuilder().globalBudgetBytes(3 * STORE).build();
        Dataset ds = Datasets.range(1_000).withContext(explicit)
                .mapBatches(DatasetOperationsTest::addScore, MapBatches.tasks());
        assertEquals(1_000, ds.count());
        assertEquals(3 * STORE, ds.stats().budgetBytes(), ds.stats().toString());
    }
}
