package dev.weft.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.NodeInfo;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.data.DataContext;
import dev.weft.data.Dataset;
import dev.weft.data.internal.exec.JobAttempts;
import dev.weft.engine.cluster.ClusterProcesses;
import dev.weft.engine.cluster.ClusterSessions;
import dev.weft.engine.internal.cluster.ClusterAdmin;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker JVM killed with -9 while a dataset group-by and a sort run on the cluster: the blocks it held are
 * rebuilt by lineage (the tasks that made them run again elsewhere), so the answers equal the embedded engine's,
 * without the job starting over from its sources. Each test adds a fresh worker and kills it; the head and the
 * worker started first stay.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class ClusterLineageTest {
    static final long ROWS = 400_000;
    /** The victim is killed once its store holds this many objects (blocks the job still needs). */
    static final int BLOCKS_ON_VICTIM = 6;
    static ClusterProcesses cluster;
    static Weft weft;
    static List<String> groupBy;
    static List<String> sort;

    @BeforeAll
    static void answersOfTheEmbeddedEngineThenACluster() throws Exception {
        // small blocks: many tasks, so that the kill lands while blocks sit on the victim
        DataContext.setCurrent(DataContext.builder().progressBars(false).targetMinBlockSizeBytes(64 << 10)
                .targetMaxBlockSizeBytes(256 << 10).build());
        try (Weft local = Weft.init(WeftConfig.builder().address("local").nodes(1, 2).build())) {
            groupBy = ClusterJobs.groupBy(ROWS);
            sort = ClusterJobs.sort(ROWS);
        }
        // a generous heartbeat timeout: the test JVM, the node JVMs and other builds share two cores; the driver
        // sees a killed worker at once anyway (its connections are refused)
        cluster = ClusterProcesses.start(1, 2, 256L << 20, List.of("--heartbeat-timeout-ms", "8000"));
        weft = Weft.init(ClusterSessions.config(cluster));
    }

    @AfterAll
    static void stop() {
        if (weft != null) {
            weft.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aWorkerKilledBetweenTheMapAndAGroupByLosesBlocksThatLineageRebuilds() throws Exception {
        assertEquals(groupBy, afterAKill(ClusterJobs.mapped(ROWS), ClusterJobs::groupBy));
    }

    @Test
    void aWorkerKilledBetweenTheMapAndASortLosesBlocksThatLineageRebuilds() throws Exception {
        assertEquals(sort, afterAKill(ClusterJobs.scrambled(ROWS), ClusterJobs::sort));
    }

    @Test
    void aWorkerKilledDuringAGroupByChangesNothing() throws Exception {
        assertEquals(groupBy, duringAKill(() -> ClusterJobs.groupBy(ROWS)));
    }

    @Test
    void aWorkerKilledDuringASortChangesNothing() throws Exception {
        assertEquals(sort, duringAKill(() -> ClusterJobs.sort(ROWS)));
    }

    /**
     * Materializes {@code input} over the nodes and a fresh worker, kills the worker (whose blocks are then lost: a
     * materialized dataset's blocks cannot be made again by running the job again), and runs {@code job} on it.
     */
    private static List<String> afterAKill(Dataset input, Function<Dataset, List<String>> job) throws Exception {
        Set<String> before = weft.nodes().stream().map(NodeInfo::nodeId).collect(Collectors.toSet());
        Process victim = cluster.startWorker(2, 256L << 20);
        String victimId = awaitNewNode(before);
        Dataset materialized = input.materialize();
        assertTrue(objectsOn(victimId) > 0, "no block of the materialized dataset is on the worker to kill");
        long restarts = JobAttempts.restarts();
        long reruns = ClusterAdmin.lineageReruns();
        victim.destroyForcibly();
        victim.waitFor(30, TimeUnit.SECONDS);
        List<String> out = job.apply(materialized);
        assertEquals(restarts, JobAttempts.restarts(), "the job ran again from its sources instead of by lineage");
        assertTrue(ClusterAdmin.lineageReruns() > reruns, "no task ran again to rebuild a block of the killed worker");
        return out;
    }

    /**
     * Runs {@code job} with a fresh worker that is killed with -9 once it holds blocks of the job (or once the job is
     * done, when it never does): whatever it held then, the answer must not change, and the job must not start over.
     */
    private static List<String> duringAKill(Supplier<List<String>> job) throws Exception {
        Set<String> before = weft.nodes().stream().map(NodeInfo::nodeId).collect(Collectors.toSet());
        Process victim = cluster.startWorker(2, 256L << 20);
        String victimId = awaitNewNode(before);
        long restarts = JobAttempts.restarts();
        CompletableFuture<List<String>> answer = CompletableFuture.supplyAsync(job);
        while (!answer.isDone() && objectsOn(victimId) < BLOCKS_ON_VICTIM) {
            Thread.sleep(20);
        }
        victim.destroyForcibly();
        victim.waitFor(30, TimeUnit.SECONDS);
        List<String> out = answer.get(600, TimeUnit.SECONDS);
        assertEquals(restarts, JobAttempts.restarts(), "the job ran again from its sources instead of by lineage");
        return out;
    }

    private static String awaitNewNode(Set<String> before) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            for (NodeInfo n : weft.nodes()) {
                if (n.alive() && !before.contains(n.nodeId()) && !n.nodeId().startsWith("driver-")) {
                    return n.nodeId();
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the new worker did not join within 60 s");
    }

    private static long objectsOn(String nodeId) {
        for (NodeInfo n : weft.nodes()) {
            if (n.nodeId().equals(nodeId)) {
                return n.objectCount();
            }
        }
        return 0;
    }
}
