package dev.weft.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ActorHandle;
import dev.weft.api.ErrorType;
import dev.weft.api.Weft;
import dev.weft.api.WeftException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An execution that can never progress fails after {@code DataContext.progressTimeout} with what it waits for,
 * instead of waiting for ever, and leaves no actor and no CPU held behind. One node of two CPUs.
 */
class ProgressWatchdogTest {
    static Weft weft;

    @BeforeAll
    static void startCluster() {
        weft = WeftCluster.start(1, 2, 0);
    }

    @AfterAll
    static void stopCluster() {
        weft.close();
    }

    @AfterEach
    void noLeaks() {
        WeftCluster.assertEveryCpuFree(weft);
        WeftCluster.assertNoLeaks();
    }

    public static final class PassThrough implements BatchFunction {
        @Override
        public VectorSchemaRoot apply(VectorSchemaRoot batch) {
            return batch;
        }
    }

    /** Another job's actor that holds CPUs for its whole life. */
    public static final class Holder {
        public String ping() {
            return "up";
        }
    }

    private static DataContext watchdogAfter(Duration timeout) {
        return DataContext.current().toBuilder().progressTimeout(timeout).build();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anActorPoolWhoseCpusAnotherActorHoldsFailsNamingThePoolAndTheResources() {
        Dataset input = Datasets.range(10_000).materialize();
        ActorHandle<Holder> holder = weft.actor(Holder::new).numCpus(2).remote();
        try {
            assertEquals("up", holder.task(Holder::ping).remote().get()); // it holds both CPUs now
            Dataset ds = input.withContext(watchdogAfter(Duration.ofSeconds(2)))
                    .mapBatches(PassThrough::new, MapBatches.actors(1).batchSize(1_000));

            WeftException e = assertThrows(WeftException.class, ds::count);

            String m = e.getMessage();
            assertEquals(ErrorType.INSUFFICIENT_RESOURCES, e.errorType(), m);
            assertTrue(m.contains("made no progress for 2 s (DataContext.progressTimeout)"), m);
            assertTrue(m.contains("operator MapBatches(PassThrough): actor pool of 1 actor(s) (min 1, max 1"), m);
            assertTrue(m.contains("calls in flight per actor [2]"), m);
            assertTrue(m.contains("each actor wants {CPU=1}, which no node has free now"), m);
            assertTrue(m.contains(weft.nodes().getFirst().nodeId() + ": CPU 0/2"), m);
            assertTrue(m.contains("raise DataContext.progressTimeout"), m);
            OperatorStats pool = ds.stats().operators().getLast();
            assertEquals(pool.counter("actorsStarted"), pool.counter("actorsReleased"), ds.stats().toString());
        } finally {
            weft.kill(holder);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPoolAskingForAResourceNoNodeHasFailsSayingSo() {
        Dataset ds = Datasets.range(10_000).materialize().withContext(watchdogAfter(Duration.ofMillis(1_500)))
                .mapBatches(PassThrough::new, MapBatches.actors(1).numGpus(1).batchSize(1_000));

        WeftException e = assertThrows(WeftException.class, ds::count);

        String m = e.getMessage();
        assertTrue(m.contains("made no progress for 1.5 s"), m);
        assertTrue(m.contains("each actor wants {CPU=1, GPU=1}, which no node has at all"), m);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void readTasksThatCanNeverGetACpuFailNamingTheRead() {
        ActorHandle<Holder> holder = weft.actor(Holder::new).numCpus(2).remote();
        try {
            assertEquals("up", holder.task(Holder::ping).remote().get());
            Dataset ds = Datasets.range(10_000).withContext(watchdogAfter(Duration.ofSeconds(1)))
                    .mapBatches(PassThrough::new, MapBatches.tasks().batchSize(1_000));

            WeftException e = assertThrows(WeftException.class, ds::count);

            String m = e.getMessage();
            assertTrue(m.contains("task(s) running (oldest #0)"), m);
            assertTrue(m.contains("each task wants {CPU=1}, which no node has free now"), m);
        } finally {
            weft.kill(holder);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSlowConsumerIsNotAStall() {
        Dataset ds = Datasets.range(200_000).withContext(watchdogAfter(Duration.ofMillis(300))
                        .toBuilder().globalBudgetBytes(1).prefetchBlocks(0).readParallelism(8).build())
                .mapBatches(PassThrough::new, MapBatches.tasks().batchSize(25_000));
        long rows = 0;
        int batches = 0;
        try (CloseableIterator<VectorSchemaRoot> it = ds.iterBatches()) {
            while (it.hasNext()) {
                rows += it.next().getRowCount();
                if (batches++ < 3) {
                    // the consumer takes longer than the timeout over a block: the executor waits on it, not stuck
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(600));
                }
            }
        }
        assertEquals(200_000, rows);
    }
}
