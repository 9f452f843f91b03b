package dev.weft.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.api.ActorHandle;
import dev.weft.api.NodeInfo;
import dev.weft.api.SchedulingStrategy;
import dev.weft.api.Weft;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The GCS journal: a head killed with -9 and started again on the same journal directory replays its tables, so a
 * detached named actor living on a worker is still found by name and keeps its state, and the worker is still
 * part of the cluster. Then {@code weft stop} ends every process.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ClusterHeadRestartTest {
    private static ClusterProcesses cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        Path journal = Files.createTempDirectory("weft-journal-test");
        cluster = ClusterProcesses.start(1, 1, 64L << 20, List.of("--journal-dir", journal.toString()));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    public static final class Tally {
        private int n;

        public int add(int k) {
            n += k;
            return n;
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void aDetachedNamedActorAnswersWithItsStateAfterTheHeadRestarts() throws Exception {
        String worker;
        try (Weft weft = Weft.init(ClusterSessions.config(cluster))) {
            worker = weft.nodes().stream().map(NodeInfo::nodeId).filter(id -> id.equals("node-2")).findFirst().orElseThrow();
            ActorHandle<Tally> tally = weft.actor(Tally::new).name("tally").detached()
                    .schedulingStrategy(SchedulingStrategy.nodeAffinity(worker, false)).remote();
            assertEquals(5, tally.task(Tally::add, 5).remote().get());
        }
        cluster.killHead();
        cluster.restartHead();
        try (Weft weft = Weft.init(ClusterSessions.config(cluster))) {
            ActorHandle<Tally> found = weft.<Tally>getActor("tally").orElseThrow();
            assertEquals(7, found.task(Tally::add, 2).remote().get());
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline && weft.nodes().stream().noneMatch(n -> n.nodeId().equals(worker) && n.alive())) {
                Thread.sleep(100);
            }
            assertEquals(true, weft.nodes().stream().anyMatch(n -> n.nodeId().equals(worker) && n.alive()),
                    "the worker is still a live node of the restarted head");
            weft.kill(found);
        }
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void stopEndsEveryProcessOfTheCluster() throws Exception {
        assertEquals(0, dev.weft.engine.cli.WeftCli.run("stop", "--address", cluster.address(), "--token", cluster.token()));
        assertEquals(true, cluster.allExited(30), "the head and the workers exit after weft stop");
        org.junit.jupiter.api.Assertions.assertThrows(dev.weft.api.WeftException.class,
                () -> dev.weft.engine.internal.cluster.ClusterAdmin.listNodes(cluster.address(), cluster.token()));
    }
}
