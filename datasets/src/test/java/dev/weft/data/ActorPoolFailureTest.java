package dev.weft.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.api.WeftException;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A UDF that throws inside an autoscaling actor pool ends the job with the UDF's error, on several nodes, while
 * the pool is still growing (some of its actors waiting for a node), and leaves every CPU free and no actor
 * behind. Before the fix the executor kept the idle actors of the failed pool while it waited for the calls
 * queued on an actor that waited for their very CPUs, and {@code count()} never returned.
 */
class ActorPoolFailureTest {
    private Weft weft;

    @AfterEach
    void stopCluster() {
        if (weft != null) {
            weft.close();
        }
        WeftCluster.assertNoLeaks();
    }

    /** Throws on the n-th batch this instance sees (each actor builds its own). */
    public static final class FailOnCall implements BatchFunction {
        private final int failOn;
        private int calls;

        FailOnCall(int failOn) {
            this.failOn = failOn;
        }

        @Override
        public VectorSchemaRoot apply(VectorSchemaRoot batch) {
            if (++calls == failOn) {
                throw new IllegalStateException("model exploded on call " + calls);
            }
            return batch;
        }
    }

    @ParameterizedTest(name = "UDF throws on call {0}, {1} nodes")
    @CsvSource({"1, 2", "1, 3", "3, 2", "3, 3"})
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aThrowingUdfInAGrowingPoolEndsTheJobAndFreesEveryCpu(int failOn, int nodes) {
        weft = WeftCluster.start(nodes, 2, 0);
        Dataset ds = Datasets.range(2_000_000)
                .mapBatches(() -> new FailOnCall(failOn), MapBatches.actors(1, 3).batchSize(50_000));

        WeftException e = assertThrows(WeftException.class, ds::count);

        assertTrue(e.getMessage().contains("MapBatches") && e.getMessage().contains("IllegalStateException: model "
                + "exploded on call " + failOn), e.getMessage());
        OperatorStats pool = ds.stats().operators().getLast();
        assertEquals(pool.counter("actorsStarted"), pool.counter("actorsReleased"), ds.stats().toString());
        WeftCluster.assertEveryCpuFree(weft);
    }
}
