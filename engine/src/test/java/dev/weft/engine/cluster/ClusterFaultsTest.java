package dev.weft.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ActorDiedException;
import dev.weft.api.ActorHandle;
import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectRef;
import dev.weft.api.SchedulingStrategy;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.api.WeftException;
import dev.weft.engine.internal.cluster.ClusterAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cluster's processes and faults, on the shared test cluster (head + 2 workers, each its own JVM): the CLI,
 * token rejection, bad addresses and ports, a 64 MiB object between JVMs, a driver that dies, and a worker (added
 * for the purpose) killed with -9 under load.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(ClusterSessions.class)
class ClusterFaultsTest {
    private static ClusterProcesses cluster;

    @BeforeEach
    void useCluster(ClusterProcesses shared) {
        cluster = shared;
    }

    private static Weft driver() {
        return Weft.init(ClusterSessions.config(cluster));
    }

    private static String run(String name, String... args) throws Exception {
        List<String> cmd = ClusterProcesses.java(dev.weft.engine.cli.WeftCli.class.getName());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(cluster.session(), name, ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), name + " did not finish");
        return p.exitValue() + "\n" + Files.readString(out);
    }

    @Test
    @Order(1)
    void statusListsTheNodesWithResourcesAndStores() throws Exception {
        String out = run("status", "status", "--address", cluster.address(), "--token", cluster.token());
        assertTrue(out.startsWith("0\n"), out);
        assertTrue(out.contains("3 live nodes of"), out);
        assertTrue(out.contains("head") && out.contains("alive") && out.contains("/ 2") && out.contains("MiB"), out);
    }

    @Test
    @Order(2)
    void aWrongOrMissingTokenIsRejectedAndTouchesNothing() throws Exception {
        int before = ClusterAdmin.listNodes(cluster.address(), cluster.token()).size();
        Path empty = Files.createTempDirectory(cluster.session(), "no-token");
        WeftException wrong = assertThrows(WeftException.class, () -> Weft.init(WeftConfig.builder()
                .address(cluster.address()).property("token", "not-the-token").build()));
        assertTrue(wrong.getMessage().contains("token is wrong"), wrong.getMessage());
        WeftException missing = assertThrows(WeftException.class, () -> Weft.init(WeftConfig.builder()
                .address(cluster.address()).property("sessionDir", empty.toString()).build()));
        assertTrue(missing.getMessage().contains("no cluster token"), missing.getMessage());
        String cli = run("status-bad", "status", "--address", cluster.address(), "--token", "wrong");
        assertFalse(cli.startsWith("0\n"), cli);
        assertTrue(cli.contains("token is wrong"), cli);
        Process node = cluster.spawn("bad-worker", List.of("start", "--address", cluster.address(), "--token", "wrong",
                "--num-cpus", "1", "--session-dir", empty.toString()));
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), "a node with a wrong token must give up");
        assertEquals(before, ClusterAdmin.listNodes(cluster.address(), cluster.token()).size(), "no node was added");
    }

    @Test
    @Order(2)
    void anAddressWithoutAHeadAndABusyPortGetClearErrors() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // free again when closed: nobody listens there
        }
        WeftException none = assertThrows(WeftException.class, () -> Weft.init(WeftConfig.builder()
                .address("127.0.0.1:" + port).property("token", "x").build()));
        assertTrue(none.getMessage().contains("no Weft head answers at 127.0.0.1:" + port), none.getMessage());
        String busy = cluster.address().substring(cluster.address().lastIndexOf(':') + 1);
        String out = run("busy-port", "start", "--head", "--port", busy, "--num-cpus", "1", "--block",
                "--session-dir", Files.createTempDirectory(cluster.session(), "busy").toString());
        assertFalse(out.startsWith("0\n"), out);
        assertTrue(out.contains("port is in use") && out.contains(busy), out);
    }

    @Test
    @Order(3)
    void aLargeObjectMovesBetweenJvmsByteForByte() {
        int size = 64 << 20;
        byte[] expected = HoldingDriver.bytes(size, 7);
        try (Weft weft = driver()) {
            List<String> workers = weft.nodes().stream().map(NodeInfo::nodeId).filter(id -> id.startsWith("node-")).toList();
            // driver -> node: a put pulled by the task that takes it
            ObjectRef<byte[]> put = weft.put(expected);
            assertEquals(HoldingDriver.sum(expected), weft.task(HoldingDriver::sum, put).remote().get());
            // node -> driver and node -> node: made on one node, read by the driver and by a task on another node
            ObjectRef<byte[]> made = weft.task(HoldingDriver::bytes, size, 7)
                    .schedulingStrategy(SchedulingStrategy.nodeAffinity(workers.get(1), false)).remote();
            assertArrayEquals(expected, made.get());
            assertEquals(HoldingDriver.sum(expected), weft.task(HoldingDriver::sum, made)
                    .schedulingStrategy(SchedulingStrategy.nodeAffinity(workers.get(2), false)).remote().get());
            put.close();
            made.close();
        }
    }

    private static long objectsOnNodes(Weft weft) {
        return weft.nodes().stream().filter(n -> n.alive() && n.nodeId().startsWith("node-")).mapToLong(NodeInfo::objectCount).sum();
    }

    @Test
    @Order(4)
    void aDriverThatDiesHasItsObjectsFreedAndItsActorsKilled() throws Exception {
        try (Weft weft = driver()) {
            long before = objectsOnNodes(weft);
            List<String> cmd = ClusterProcesses.java(HoldingDriver.class.getName());
            cmd.add(cluster.address());
            cmd.add(cluster.token());
            Process p = cluster.spawnCommand("holding-driver", cmd);
            Path log = cluster.logOf(p);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!(Files.exists(log) && Files.readString(log).contains("HOLDING")) && System.nanoTime() < deadline) {
                assertTrue(p.isAlive(), () -> "the driver died early: " + readQuietly(log));
                Thread.sleep(50);
            }
            assertTrue(objectsOnNodes(weft) >= before + 4, "the driver's 4 results are on the nodes");
            ActorHandle<HoldingDriver.Holder> held = weft.<HoldingDriver.Holder>getActor(HoldingDriver.ACTOR_NAME)
                    .orElseThrow(() -> new AssertionError("the holding driver's actor is found by name"));
            assertEquals(1024, held.task(HoldingDriver.Holder::size).remote().get());
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            deadline = System.nanoTime() + 30_000_000_000L;
            while (objectsOnNodes(weft) > before && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(before, objectsOnNodes(weft), "the dead driver's objects were freed on every node");
            assertTrue(weft.getActor(HoldingDriver.ACTOR_NAME).isEmpty(), "the dead driver's actor's name is gone");
            assertThrows(ActorDiedException.class, () -> held.task(HoldingDriver.Holder::size).remote().get(),
                    "the dead driver's (non-detached) actor was killed");
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return e.toString();
        }
    }

    public static int slowSquare(int x) throws InterruptedException {
        Thread.sleep(1500);
        return x * x;
    }

    @Test
    @Order(5)
    void tasksOfAWorkerKilledWithSigkillAreRetriedElsewhere() throws Exception {
        Process extra = cluster.startWorker(2, 64L << 20);
        cluster.awaitNodes(4);
        try (Weft weft = driver()) {
            NodeInfo victim = weft.nodes().stream().filter(n -> n.alive() && n.nodeId().startsWith("node-"))
                    .max(java.util.Comparator.comparing(NodeInfo::nodeId, java.util.Comparator.comparingInt(
                            (String id) -> Integer.parseInt(id.substring(5))))).orElseThrow();
            dev.weft.api.ActorHandle<HoldingDriver.Holder> actor = weft.actor(HoldingDriver.Holder::new).maxRestarts(1)
                    .schedulingStrategy(SchedulingStrategy.nodeAffinity(victim.nodeId(), true)).remote();
            assertEquals(1024, actor.task(HoldingDriver.Holder::size).remote().get());
            List<ObjectRef<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(weft.task(ClusterFaultsTest::slowSquare, i)
                        .schedulingStrategy(SchedulingStrategy.nodeAffinity(victim.nodeId(), true)).remote());
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline && weft.nodes().stream().noneMatch(n -> n.nodeId().equals(victim.nodeId())
                    && n.availableResources().getOrDefault("CPU", 0.0) < n.totalResources().get("CPU"))) {
                Thread.sleep(20);
            }
            extra.destroyForcibly(); // SIGKILL
            List<Integer> values = weft.get(results);
            assertEquals(List.of(0, 1, 4, 9, 16, 25), values);
            deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline && weft.nodes().stream().anyMatch(n -> n.nodeId().equals(victim.nodeId()) && n.alive())) {
                Thread.sleep(100);
            }
            assertTrue(weft.nodes().stream().anyMatch(n -> n.nodeId().equals(victim.nodeId()) && !n.alive()),
                    "the GCS marks the killed node dead");
            // the actor restarts on another node (its first call after the loss may fail with ActorDiedException)
            try {
                actor.task(HoldingDriver.Holder::size).remote().get();
            } catch (dev.weft.api.ActorDiedException first) {
                assertTrue(first.getMessage().contains("restarts on"), first.getMessage());
            }
            assertEquals(1024, actor.task(HoldingDriver.Holder::size).remote().get());
            weft.kill(actor);
        }
    }
}
