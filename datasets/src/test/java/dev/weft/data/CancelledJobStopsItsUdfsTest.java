package dev.weft.data;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.api.Weft;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A job that fails, or whose iterator is closed early, cancels its running tasks with force: a CPU-bound UDF is
 * interrupted and stops, instead of computing on until it finishes (and holding the executor's close meanwhile).
 */
// on a separate thread: a hang in a dataset iterator waits in CompletableFuture.join, which no interrupt ends
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CancelledJobStopsItsUdfsTest {
    private static final Map<String, CountDownLatch> LATCHES = new ConcurrentHashMap<>();
    private static final Map<String, Boolean> STOP = new ConcurrentHashMap<>();
    static Weft weft;

    @BeforeAll
    static void startCluster() {
        weft = WeftCluster.start(1, 4, 0);
    }

    @AfterAll
    static void stopCluster() {
        weft.close();
    }

    @AfterEach
    void noLeaks() {
        WeftCluster.assertNoLeaks();
    }

    static CountDownLatch latch(String key) {
        return LATCHES.computeIfAbsent(key, k -> new CountDownLatch(1));
    }

    /**
     * Two read tasks of 1024 rows, each running {@code udf} once over its whole block. Only one UDF computes: a
     * virtual thread is never preempted, so as many computing UDFs as the machine has cores would starve every
     * other virtual thread, the other block's task included.
     */
    private static Dataset twoBlocks(BatchFunction udf) {
        return Datasets.range(2048)
                .withContext(DataContext.builder().progressBars(false).readParallelism(2).build())
                .mapBatches(udf, MapBatches.tasks());
    }

    /**
     * The block starting at row 0 fails or passes through; the other computes until its thread is interrupted (or
     * the test gives up on it), then opens "key/interrupted".
     */
    private static VectorSchemaRoot spinUnlessFirst(String key, VectorSchemaRoot batch, boolean failFirst)
            throws InterruptedException {
        if (((BigIntVector) batch.getVector("id")).get(0) == 0) {
            if (!failFirst) {
                return batch;
            }
            latch(key + "/spinning").await(); // fail only once another block's UDF is computing
            throw new IllegalStateException("the first block fails on purpose");
        }
        latch(key + "/spinning").countDown();
        long x = 1;
        while (!Thread.interrupted() && !STOP.containsKey(key)) {
            for (int i = 0; i < 100_000; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
            Thread.yield(); // lets other virtual threads have this carrier on a machine with few cores
        }
        if (!STOP.containsKey(key)) {
            latch(key + "/interrupted").countDown();
        }
        throw new IllegalStateException("stopped after " + x);
    }

    @Test
    void aFailedJobInterruptsTheCpuBoundUdfsStillRunning() throws InterruptedException {
        String key = "failed-" + java.util.UUID.randomUUID();
        try {
            Dataset ds = twoBlocks(b -> spinUnlessFirst(key, b, true));
            assertThrows(RuntimeException.class, ds::takeAll);
            latch(key + "/interrupted").await();
        } finally {
            STOP.put(key, true);
        }
    }

    @Test
    void closingTheIteratorEarlyInterruptsTheCpuBoundUdfsStillRunning() throws Exception {
        String key = "early-" + java.util.UUID.randomUUID();
        try {
            Dataset ds = twoBlocks(b -> spinUnlessFirst(key, b, false));
            try (CloseableIterator<VectorSchemaRoot> it = ds.iterBatches()) {
                latch(key + "/spinning").await();
                assertNotNull(it.next()); // the first block, while the others compute
            }
            latch(key + "/interrupted").await();
        } finally {
            STOP.put(key, true);
        }
    }
}
