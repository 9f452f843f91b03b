package dev.weft.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.api.WeftException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An actor pool's actors hold their CPUs for the pool's whole life, so a pool must never take the CPUs its
 * upstream tasks need: not at its start (a minimum as large as the cluster), and not after a node died and
 * its actors restarted on the survivors. Where not even one actor fits beside one upstream task, the job fails
 * at once saying so. Each of these hung before (found by the chaos suite).
 */
class ActorPoolCpuLimitsTest {
    Weft weft;

    @AfterEach
    void stop() {
        if (weft != null) {
            weft.close();
        }
        WeftCluster.assertNoLeaks();
    }

    static Dataset pipeline(int minActors, int maxActors) {
        return Datasets.range(120_000).withContext(DataContext.current().toBuilder().readParallelism(8).build())
                .mapBatches(b -> b, MapBatches.actors(minActors, maxActors).batchSize(8_000));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aPoolWhoseMinimumIsEveryCpuStartsSmallerSoItsInputCanBeRead() {
        weft = WeftCluster.start(2, 1, 0);
        assertEquals(120_000, pipeline(2, 3).count());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aOneActorPoolOnTwoOneCpuNodesLeavesTheOtherNodeToItsInput() {
        weft = WeftCluster.start(2, 1, 0);
        assertEquals(120_000, pipeline(1, 1).count());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aPoolWithNoCpuLeftBesideItsUpstreamFailsAtOnceSayingWhy() {
        weft = WeftCluster.start(1, 1, 0);
        WeftException e = assertThrows(WeftException.class, () -> pipeline(1, 1).count());
        assertTrue(e.getMessage().contains("cannot run") && e.getMessage().contains("MapBatches.numCpus"),
                e.getMessage());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aPoolOfFractionalActorsRunsBesideItsUpstreamOnOneNode() {
        weft = WeftCluster.start(1, 1.5, 0);
        Dataset ds = Datasets.range(50_000).mapBatches(b -> b, MapBatches.actors(1, 1).numCpus(0.5).batchSize(8_000));
        assertEquals(50_000, ds.count());
    }
}
