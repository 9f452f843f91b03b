package dev.weft.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.data.internal.exec.ActorPoolScaler;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Actor pools grow with the backlog and shrink when idle: the sizing rule, and the pool on the engine. */
class ActorPoolTest {
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

    @Test
    void theScalerGrowsWithTheBacklogUpToTheMaximum() {
        assertEquals(2, ActorPoolScaler.decide(2, 2, 8, 6, 2, 2, 0, true));
        assertEquals(6, ActorPoolScaler.decide(2, 2, 8, 100, 0, 2, 0, true));
        assertEquals(0, ActorPoolScaler.decide(8, 2, 8, 100, 0, 2, 0, true));
        assertEquals(0, ActorPoolScaler.decide(2, 2, 8, 100, 0, 2, 0, false), "no growth past the byte budget");
        assertEquals(1, ActorPoolScaler.decide(0, 1, 4, 0, 0, 2, 0, true), "the minimum is restored");
    }

    @Test
    void theScalerShrinksIdleActorsButNotBelowTheMinimum() {
        assertEquals(-3, ActorPoolScaler.decide(5, 2, 8, 0, 10, 2, 3, true));
        assertEquals(-3, ActorPoolScaler.decide(5, 2, 8, 0, 10, 2, 4, true));
        assertEquals(0, ActorPoolScaler.decide(5, 2, 8, 1, 10, 2, 4, true), "nothing shrinks while work waits");
        assertEquals(0, ActorPoolScaler.decide(2, 2, 8, 0, 4, 2, 2, true));
    }

    /** Builds its state once per actor and counts how many batches this instance saw. */
    public static final class CountingUdf implements BatchFunction {
        private long calls;

        @Override
        public VectorSchemaRoot apply(VectorSchemaRoot batch) {
            calls++;
            // some real work per row, so that a backlog forms behind the actors
            org.apache.arrow.vector.BigIntVector id = (org.apache.arrow.vector.BigIntVector) batch.getVector("id");
            long h = calls;
            for (int r = 0; r < 20; r++) {
                for (int i = 0; i < batch.getRowCount(); i++) {
                    h = h * 31 + id.get(i);
                }
            }
            if (h == 42) {
                calls--;
            }
            return batch;
        }
    }

    @Test
    void aPoolUnderABacklogGrowsPastItsMinimumAndReleasesEveryActorAtTheEnd() {
        DataContext ctx = DataContext.current().toBuilder().readParallelism(32).build();
        Dataset ds = Datasets.range(400_000).withContext(ctx)
                .mapBatches(CountingUdf::new, MapBatches.actors(1, 3).batchSize(2_000).numCpus(0.5));
        assertEquals(400_000, ds.count());
        OperatorStats pool = ds.stats().operator("MapBatches");
        assertTrue(pool.peakActors() > 1, "pool never grew: " + ds.stats());
        assertTrue(pool.peakActors() <= 3, ds.stats().toString());
        assertEquals(pool.counter("actorsStarted"), pool.counter("actorsReleased"), ds.stats().toString());
        assertEquals(400_000, pool.rows());
    }

    /** A UDF whose constructor fails the same way every time (a model file that is not there). */
    static final class MissingModel implements BatchFunction {
        static final java.util.concurrent.atomic.AtomicInteger CONSTRUCTED = new java.util.concurrent.atomic.AtomicInteger();

        MissingModel() {
            CONSTRUCTED.incrementAndGet();
            throw new IllegalStateException("model file /models/none.bin not found");
        }

        @Override
        public VectorSchemaRoot apply(VectorSchemaRoot batch) {
            return batch;
        }
    }

    @Test
    void aUdfConstructorThatThrowsIsAUserErrorReportedAtOnceNotLostWorkRunAgain() {
        long restarts = dev.weft.data.internal.exec.JobAttempts.restarts();
        MissingModel.CONSTRUCTED.set(0);
        Dataset ds = Datasets.range(1_000).mapBatches(MissingModel::new, MapBatches.actors(1, 1));
        dev.weft.api.WeftException e = org.junit.jupiter.api.Assertions.assertThrows(dev.weft.api.WeftException.class,
                ds::count);
        assertTrue(e.getMessage().contains("constructing the UDF MissingModel failed")
                && e.getMessage().contains("model file /models/none.bin not found"), e.getMessage());
        assertEquals(dev.weft.api.ErrorType.USER_ERROR, e.errorType(), e.toString());
        assertEquals(restarts, dev.weft.data.internal.exec.JobAttempts.restarts(),
                "the job ran again from its sources after a deterministic constructor failure");
        assertEquals(1, MissingModel.CONSTRUCTED.get(), "the constructor ran more than once");
    }
}
