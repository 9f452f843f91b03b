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
 * part of the cluster; a driver connected through the restart keeps its objects and actors and goes on. Then
 * {@code weft stop} ends every process.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ClusterHeadRestartTest {
    private static ClusterProcesses cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        Path journal = Files.createTempDirectory("weft-journal-test");
        cluster = ClusterProcesses.start(1, 1, 64L << 20, List.of("--journal-dir", journal.toString(),
                "--reconnect-window-ms", "30000"));
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

    static int at(byte[] bytes, int i) {
        return bytes[i];
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void aDriverConnectedThroughTheRestartKeepsItsObjectsAndActorsAndFinishesItsJob() throws Exception {
        try (Weft weft = Weft.init(ClusterSessions.config(cluster))) {
            String worker = "node-2";
            SchedulingStrategy onWorker = SchedulingStrategy.nodeAffinity(worker, false);
            byte[] bytes = new byte[300_000]; // a put object, held by the driver and pulled by the worker
            bytes[299_999] = 42;
            dev.weft.api.ObjectRef<byte[]> data = weft.put(bytes);
            ActorHandle<Tally> tally = weft.actor(Tally::new).schedulingStrategy(onWorker).remote();
            assertEquals(3, tally.task(Tally::add, 3).remote().get());

            cluster.killHead();
            cluster.restartHead();
            // the driver's heartbeats reach the restarted head once it serves; its job was never released
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline && weft.nodes().stream().noneMatch(n -> n.nodeId().equals("node-1") && n.alive())) {
                Thread.sleep(100);
            }
            assertEquals(10, tally.task(Tally::add, 7).remote().get(), "the driver's actor kept its state");
            assertEquals(42, weft.task(ClusterHeadRestartTest::at, data, 299_999).schedulingStrategy(onWorker)
                    .remote().get(), "the driver's put object is still served");
            Thread.sleep(5_000); // longer than the heartbeat timeout: the driver is heart-beating, not just lucky
            assertEquals(15, tally.task(Tally::add, 5).remote().get(), "the driver still belongs to the cluster");
        }
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void stopEndsEveryProcessOfTheCluster() throws Exception {
        assertEquals(0, dev.weft.engine.cli.WeftCli.run("stop", "--address", cluster.address(), "--token", cluster.token()));
        assertEquals(true, cluster.allExited(30), "the head and the workers exit after weft stop");
        org.junit.jupiter.api.Assertions.assertThrows(dev.weft.api.WeftException.class,
                () -> dev.weft.engine.internal.cluster.ClusterAdmin.listNodes(cluster.address(), cluster.token()));
    }
}
