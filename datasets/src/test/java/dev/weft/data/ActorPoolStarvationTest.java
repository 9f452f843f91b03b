package dev.weft.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An actor pool whose actors hold whole CPUs must not grow into the CPUs its upstream tasks need: on a
 * two-CPU node, two one-CPU actors would leave no CPU for the tasks that feed them, and the pipeline would
 * wait forever on an empty input queue.
 */
class ActorPoolStarvationTest {
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
        WeftCluster.assertNoLeaks();
    }

    /** Slow enough per batch that a backlog forms and the pool wants to grow to its maximum. */
    public static final class SlowUdf implements BatchFunction {
        @Override
        public VectorSchemaRoot apply(VectorSchemaRoot batch) {
            BigIntVector id = (BigIntVector) batch.getVector("id");
            long h = 0;
            for (int r = 0; r < 50; r++) {
                for (int i = 0; i < batch.getRowCount(); i++) {
                    h = h * 31 + id.get(i);
                }
            }
            if (h == 42) {
                id.set(0, 0);
            }
            return batch;
        }
    }

    /** A task-based step between the source and the pool, as a filter over a Parquet read would be. */
    public static final class PassThrough implements BatchFunction {
        @Override
        public VectorSchemaRoot apply(VectorSchemaRoot batch) {
            return batch;
        }
    }

    // The idle timeout is long so that idle actors are never released on their own: before the fix the pool
    // grew to two actors, the read tasks found no CPU, and the job waited for good. The @Timeout only turns
    // that hang into a failure; the assertions are on the result.
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPoolOfOneCpuActorsLeavesACpuForTheTasksFeedingIt() {
        DataContext ctx = DataContext.current().toBuilder().readParallelism(32)
                .actorIdleTimeout(Duration.ofMinutes(30)).build();
        Dataset ds = Datasets.range(200_000).withContext(ctx)
                .mapBatches(PassThrough::new, MapBatches.tasks().batchSize(1_000))
                .mapBatches(SlowUdf::new, MapBatches.actors(1, 2).batchSize(2_000));
        assertEquals(200_000, ds.count());
        OperatorStats pool = ds.stats().operators().getLast();
        assertTrue(pool.peakActors() >= 1 && pool.peakActors() <= 2, ds.stats().toString());
        assertEquals(pool.counter("actorsStarted"), pool.counter("actorsReleased"), ds.stats().toString());
        assertEquals(200_000, pool.rows());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void onceTheUpstreamIsDoneThePoolMayUseEveryCpu() {
        // a materialized input has no upstream tasks left, so nothing needs reserving
        Dataset input = Datasets.range(100_000).materialize();
        Dataset ds = input.mapBatches(SlowUdf::new, MapBatches.actors(1, 2).batchSize(1_000));
        assertEquals(100_000, ds.count());
        assertTrue(ds.stats().operators().getLast().peakActors() <= 2, ds.stats().toString());
    }
}
