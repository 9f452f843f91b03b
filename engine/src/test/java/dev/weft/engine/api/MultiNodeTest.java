package dev.weft.engine.api;

import static dev.weft.engine.api.Contracts.assertRuntimeWorks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ActorDiedException;
import dev.weft.api.ActorHandle;
import dev.weft.api.Bundle;
import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectLostException;
import dev.weft.api.ObjectRef;
import dev.weft.api.PlacementGroup;
import dev.weft.api.PlacementStrategy;
import dev.weft.api.Resources;
import dev.weft.api.SchedulingStrategy;
import dev.weft.api.TaskUnschedulableException;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.engine.LocalClusterControl;
import dev.weft.testing.WeftSessions;
import dev.weft.testing.WeftTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What only a cluster of several nodes shows: placement, fractional resources, infeasible demands and node
 * failures (retry, lineage, lost objects, actor restarts). Local provider, three virtual nodes of two CPUs.
 */
@WeftTest(nodes = 3, cpusPerNode = 2, infeasibleTimeoutMillis = 2_000)
class MultiNodeTest {
    private static final int LONGS = 64 * 1024; // 512 KiB: lives in the producing node's store

    // ---- object locations ------------------------------------------------------------------------------

    @Test
    void objectLocationsNameTheProducingNodeThenNodesHoldingCopies(Weft weft) {
        String producer = weft.nodes().get(2).nodeId();
        String driver = weft.nodes().get(0).nodeId();
        ObjectRef<byte[]> big = weft.task(Fns::bytes, 512 * 1024, 7)
                .schedulingStrategy(SchedulingStrategy.nodeAffinity(producer, false)).remote();
        ObjectRef<Integer> small = weft.task(Fns::square, 3).remote();
        weft.wait(List.of(big), 1, null);
        small.get();
        assertEquals(List.of(List.of(producer), List.of()), weft.objectLocations(List.of(big, small)),
                "a large result lives where it was made; a small one travels inline");
        assertEquals(512 * 1024, big.get().length); // the driver's node fetches a copy
        assertEquals(List.of(producer, driver), weft.objectLocations(List.of(big)).getFirst());
        assertThrows(IllegalArgumentException.class, () -> weft.objectLocations(null));
    }

    // ---- placement groups -------------------------------------------------------------------------------

    @Test
    void strictSpreadPutsOneBundleOnEveryNodeAndTasksRunInEach(Weft weft) {
        PlacementGroup pg = weft.placementGroup(PlacementStrategy.STRICT_SPREAD,
                Bundle.cpus(1), Bundle.cpus(1), Bundle.cpus(1));
        assertTrue(pg.ready().get());
        awaitReserved(weft, List.of(1.0, 1.0, 1.0));
        List<ObjectRef<Integer>> squares = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            squares.add(weft.task(Fns::square, i + 1).numCpus(1).placementGroup(pg, i).remote());
        }
        assertEquals(List.of(1, 4, 9), weft.get(squares));
        pg.remove();
        awaitReserved(weft, List.of(0.0, 0.0, 0.0));
    }

    @Test
    void bundlesLostWithTheirNodeArePlacedAgainOnASurvivor(Weft weft) {
        PlacementGroup pg = weft.placementGroup(PlacementStrategy.STRICT_SPREAD, Bundle.cpus(2), Bundle.cpus(2));
        assertTrue(pg.ready().get());
        awaitReserved(weft, List.of(0.0, 2.0, 2.0));
        String victim = weft.nodes().stream().filter(n -> used(n) == 2.0).map(NodeInfo::nodeId)
                .filter(id -> !id.equals(weft.nodes().get(0).nodeId())).findFirst().orElseThrow();
        LocalClusterControl.of(weft).killNode(victim);
        // the lost bundle moves to the one node that holds no bundle of the group (STRICT_SPREAD still holds)
        awaitReserved(weft, List.of(2.0, 2.0));
        List<ObjectRef<Integer>> inBundles = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            inBundles.add(weft.task(Fns::square, i + 2).numCpus(2).placementGroup(pg, i).remote());
        }
        assertEquals(List.of(4, 9), weft.get(inBundles));
        pg.remove();
        awaitReserved(weft, List.of(0.0, 0.0));
    }

    @Test
    void workForALostBundleWaitsWhileNoNodeCanTakeItAndFailsClearlyWhenTheGroupIsRemoved(Weft weft) {
        PlacementGroup pg = weft.placementGroup(PlacementStrategy.STRICT_SPREAD,
                Bundle.cpus(1), Bundle.cpus(1), Bundle.cpus(1));
        assertTrue(pg.ready().get());
        String victim = weft.nodes().get(2).nodeId();
        LocalClusterControl.of(weft).killNode(victim);
        // two nodes are left and each holds a bundle already: bundles for the dead node's share cannot move
        List<ObjectRef<Integer>> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.add(weft.task(Fns::square, i).numCpus(1).placementGroup(pg, i).remote());
        }
        Poll.until(() -> all.stream().filter(ObjectRef::isReady).count() == 2, "the two surviving bundles ran");
        ObjectRef<Integer> waiting = all.stream().filter(r -> !r.isReady()).findFirst().orElseThrow();
        pg.remove();
        TaskUnschedulableException e = assertThrows(TaskUnschedulableException.class, waiting::get);
        assertTrue(e.getMessage().contains(pg.id()) && e.getMessage().contains("removed"), e.getMessage());
        assertRuntimeWorks(weft);
    }

    @Test
    void strictSpreadOfMoreBundlesThanNodesCanNeverBeReady(Weft weft) {
        PlacementGroup pg = weft.placementGroup(PlacementStrategy.STRICT_SPREAD,
                Bundle.cpus(1), Bundle.cpus(1), Bundle.cpus(1), Bundle.cpus(1));
        TaskUnschedulableException e = assertThrows(TaskUnschedulableException.class, () -> pg.ready().get());
        assertTrue(e.getMessage().contains(pg.id()) || e.getMessage().contains("4"), e.getMessage());
        pg.remove();
        awaitReserved(weft, List.of(0.0, 0.0, 0.0));
        assertRuntimeWorks(weft);
    }

    @Test
    void strictPackPutsEveryBundleOnOneNode(Weft weft) {
        PlacementGroup pg = weft.placementGroup(PlacementStrategy.STRICT_PACK, Bundle.cpus(1), Bundle.cpus(1));
        assertTrue(pg.ready().get());
        awaitReserved(weft, List.of(0.0, 0.0, 2.0));
        ActorHandle<Counter> inBundle = weft.actor(Counter::new, 4).numCpus(1).placementGroup(pg, 1).remote();
        assertEquals(5, inBundle.task(Counter::incr, 1).remote().get());
        weft.kill(inBundle);
        pg.remove();
        awaitReserved(weft, List.of(0.0, 0.0, 0.0));
    }

    @Test
    void packPrefersOneNodeAndSpreadPrefersMany(Weft weft) {
        PlacementGroup pack = weft.placementGroup(PlacementStrategy.PACK, Bundle.cpus(1), Bundle.cpus(1));
        assertTrue(pack.ready().get());
        awaitReserved(weft, List.of(0.0, 0.0, 2.0));
        pack.remove();
        awaitReserved(weft, List.of(0.0, 0.0, 0.0));

        PlacementGroup spread = weft.placementGroup(PlacementStrategy.SPREAD,
                Bundle.cpus(1), Bundle.cpus(1), Bundle.cpus(1));
        assertTrue(spread.ready().get());
        awaitReserved(weft, List.of(1.0, 1.0, 1.0));
        assertEquals(4, weft.task(Fns::square, 2).numCpus(1).placementGroup(spread, 2).remote().get());
        spread.remove();
        awaitReserved(weft, List.of(0.0, 0.0, 0.0));
    }

    @Test
    void softPackStillPlacesWhatDoesNotFitOnOneNode(Weft weft) {
        PlacementGroup pg = weft.placementGroup(PlacementStrategy.PACK, Bundle.cpus(2), Bundle.cpus(1));
        assertTrue(pg.ready().get());
        awaitReserved(weft, List.of(0.0, 1.0, 2.0));
        pg.remove();
    }

    // ---- scheduling strategies --------------------------------------------------------------------------

    @Test
    void spreadAndNodeAffinityPlaceRunningTasksWhereTheySay(Weft weft) {
        String gate = Gates.key("placed");
        try {
            List<ObjectRef<Integer>> spread = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                spread.add(weft.task(Fns::awaitGate, gate, i).schedulingStrategy(SchedulingStrategy.SPREAD).remote());
            }
            awaitReserved(weft, List.of(1.0, 1.0, 1.0));
            Gates.open(gate);
            assertEquals(List.of(0, 1, 2), weft.get(spread));
        } finally {
            Gates.open(gate);
        }
        String target = weft.nodes().get(2).nodeId();
        String gate2 = Gates.key("affinity");
        try {
            List<ObjectRef<Integer>> pinned = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                pinned.add(weft.task(Fns::awaitGate, gate2, i)
                        .schedulingStrategy(SchedulingStrategy.nodeAffinity(target, false)).remote());
            }
            Poll.until(() -> used(node(weft, target)) == 2.0, "both pinned tasks running on " + target);
            Gates.open(gate2);
            assertEquals(List.of(0, 1), weft.get(pinned));
        } finally {
            Gates.open(gate2);
        }
    }

    /**
     * Work queued on a node that cannot run it moves to another node once that one frees resources: here an actor
     * waits behind two actors that hold their nodes for good, and the third node frees up. Before spillback it
     * waited on the first node for ever (the datasets actor pool hang of issue 13); the bounded get turns that into
     * a failure.
     */
    @Test
    void anActorQueuedBehindLongLivedActorsMovesToTheNodeThatFreesUp(Weft weft) {
        List<String> ids = weft.nodes().stream().map(NodeInfo::nodeId).toList();
        List<ActorHandle<Counter>> actors = new ArrayList<>();
        String gate = Gates.key("spill");
        try {
            for (int i = 0; i < 2; i++) {
                ActorHandle<Counter> holder = weft.actor(Counter::new, i).numCpus(2)
                        .schedulingStrategy(SchedulingStrategy.nodeAffinity(ids.get(i), false)).remote();
                actors.add(holder);
                assertEquals(i, holder.task(Counter::value).remote().get());
            }
            ObjectRef<Integer> busy = weft.task(Fns::awaitGate, gate, 7).numCpus(2)
                    .schedulingStrategy(SchedulingStrategy.nodeAffinity(ids.get(2), false)).remote();
            Poll.until(() -> used(node(weft, ids.get(2))) == 2.0, "the task holding " + ids.get(2) + " is running");

            ActorHandle<Counter> late = weft.actor(Counter::new, 42).numCpus(1).remote(); // no node has a free CPU
            actors.add(late);
            ObjectRef<Integer> value = late.task(Counter::value).remote();
            Gates.open(gate);

            assertEquals(7, busy.get());
            assertEquals(42, value.get(Duration.ofSeconds(30)), "the actor must run on " + ids.get(2)
                    + " once its task ended");
        } finally {
            Gates.open(gate);
            actors.forEach(weft::kill);
        }
    }

    // ---- resources --------------------------------------------------------------------------------------

    @Test
    void halfCpuTasksRunTwoAtATimePerCpu(WeftSessions sessions) {
        Weft one = sessions.start(WeftConfig.builder().nodes(1, 2).objectStoreBytes(64L << 20).build());
        String key = Gates.key("half");
        List<ObjectRef<Boolean>> met = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            met.add(one.task(Fns::rendezvous, key, 4).numCpus(0.5).remote());
        }
        assertEquals(List.of(true, true, true, true, true, true, true, true), one.get(met),
                "4 half-CPU tasks must run at once on 2 CPUs to meet");
        assertEquals(4, Gates.counter(key + "/max").get(), "no more than 4 half-CPU tasks may run on 2 CPUs");
    }

    @Test
    void anInfeasibleTaskIsReportedAndFailsAfterTheTimeout(Weft weft) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        TaskUnschedulableException e;
        try {
            e = assertThrows(TaskUnschedulableException.class,
                    () -> weft.task(Fns::square, 2).numCpus(8).name("too-big").remote().get());
        } finally {
            System.setErr(original);
        }
        // Both name the demand (8 CPUs) and the biggest node (2 CPUs).
        assertTrue(e.getMessage().contains("8.0") && e.getMessage().contains("2.0"), e.getMessage());
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("WARN") && log.contains("CPU") && log.contains("8.0") && log.contains("2.0"),
                "expected a warning naming the demand and the biggest node, got: " + log);
        assertRuntimeWorks(weft);
    }

    // ---- node failure -----------------------------------------------------------------------------------

    @Test
    void aTaskOnAKilledNodeIsRetriedElsewhere(Weft weft) throws InterruptedException {
        String victim = weft.nodes().get(1).nodeId();
        String key = Gates.key("retry");
        try {
            ObjectRef<Integer> ref = weft.task(Fns::blockFirstAttempt, key).maxRetries(3)
                    .schedulingStrategy(SchedulingStrategy.nodeAffinity(victim, true)).remote();
            Gates.await(key + "/started");
            LocalClusterControl.of(weft).killNode(victim);
            assertTrue(ref.get() >= 2, "the task should have run again");
            assertTrue(weft.nodes().stream().anyMatch(n -> n.nodeId().equals(victim) && !n.alive()));
        } finally {
            Gates.open(key + "/release");
        }
        assertRuntimeWorks(weft);
    }

    @Test
    void objectsLostWithTheirNodeAreRebuiltThroughTwoLevelsOfLineage(Weft weft) {
        String victim = weft.nodes().get(1).nodeId();
        SchedulingStrategy onVictim = SchedulingStrategy.nodeAffinity(victim, true);
        String produced = Gates.key("producer");
        String doubled = Gates.key("doubler");
        ObjectRef<long[]> a = weft.task(Fns::producer, produced, LONGS).schedulingStrategy(onVictim).remote();
        ObjectRef<long[]> b = weft.task(Fns::doubler, a, doubled).schedulingStrategy(onVictim).remote();
        weft.wait(List.of(b));
        assertEquals(1, Gates.counter(produced).get());
        LocalClusterControl.of(weft).killNode(victim);

        long expected = (long) LONGS * (LONGS - 1); // 2 * sum(0..n-1)
        assertEquals(expected, weft.task(Fns::sum, b).remote().get());
        assertEquals(2, Gates.counter(doubled).get(), "b was rebuilt");
        assertEquals(2, Gates.counter(produced).get(), "a was rebuilt for b");
        assertEquals(expected / 2, weft.task(Fns::sum, a).remote().get());
    }

    @Test
    void aPutObjectLostWithItsNodeCannotBeRebuilt(Weft weft) {
        String victim = weft.nodes().get(1).nodeId();
        List<ObjectRef<long[]>> inside = weft.task(Fns::putInside, LONGS)
                .schedulingStrategy(SchedulingStrategy.nodeAffinity(victim, false)).remote().get();
        LocalClusterControl.of(weft).killNode(victim);
        ObjectLostException e = assertThrows(ObjectLostException.class, () -> inside.get(0).get());
        assertTrue(e.getMessage().contains(inside.get(0).id()), e.getMessage());
        assertRuntimeWorks(weft);
    }

    @Test
    void anActorRestartsAfterItsNodeDiesUntilRestartsRunOut(Weft weft) {
        String first = weft.nodes().get(1).nodeId();
        ActorHandle<Counter> c = weft.actor(Counter::new, 10).maxRestarts(1)
                .schedulingStrategy(SchedulingStrategy.nodeAffinity(first, true)).remote();
        assertEquals(11, c.task(Counter::incr, 1).remote().get());
        LocalClusterControl.of(weft).killNode(first);
        assertEquals(10, c.task(Counter::value).remote().get(), "restarted from its constructor on another node");

        ActorHandle<Counter> once = weft.actor(Counter::new, 1).maxRestarts(0)
                .schedulingStrategy(SchedulingStrategy.nodeAffinity(weft.nodes().get(2).nodeId(), true)).remote();
        assertEquals(1, once.task(Counter::value).remote().get());
        LocalClusterControl.of(weft).killNode(weft.nodes().get(2).nodeId());
        assertThrows(ActorDiedException.class, () -> once.task(Counter::value).remote().get());
        weft.kill(c);
        assertRuntimeWorks(weft);
    }

    @Test
    void anActorCallInterruptedByANodeDeathIsRetriedOnlyWithMaxTaskRetries(Weft weft) throws InterruptedException {
        String first = weft.nodes().get(1).nodeId();
        String second = weft.nodes().get(2).nodeId();
        String retriedKey = Gates.key("actor-retried");
        String lostKey = Gates.key("actor-lost");
        try {
            ActorHandle<Counter> retrying = weft.actor(Counter::new, 0).maxRestarts(1).maxTaskRetries(1)
                    .schedulingStrategy(SchedulingStrategy.nodeAffinity(first, true)).remote();
            ObjectRef<Integer> call = retrying.task(Counter::blockFirstAttempt, retriedKey).remote();
            Gates.await(retriedKey + "/started");
            LocalClusterControl.of(weft).killNode(first);
            assertEquals(2, call.get(), "the interrupted call ran again on the restarted actor");

            ActorHandle<Counter> notRetrying = weft.actor(Counter::new, 0).maxRestarts(1)
                    .schedulingStrategy(SchedulingStrategy.nodeAffinity(second, true)).remote();
            ObjectRef<Integer> lost = notRetrying.task(Counter::blockFirstAttempt, lostKey).remote();
            Gates.await(lostKey + "/started");
            LocalClusterControl.of(weft).killNode(second);
            assertThrows(ActorDiedException.class, lost::get);
            assertEquals(0, notRetrying.task(Counter::value).remote().get(), "later calls reach the restarted actor");
            weft.kill(retrying);
            weft.kill(notRetrying);
        } finally {
            Gates.open(retriedKey + "/release");
            Gates.open(lostKey + "/release");
        }
    }

    @Test
    void aTaskTooBigForEveryNodeRunsOnceABigEnoughNodeJoins(WeftSessions sessions) {
        Weft weft = sessions.start(WeftConfig.builder().nodes(1, 1).objectStoreBytes(64L << 20)
                .infeasibleTimeout(Duration.ofMinutes(5)).build());
        ObjectRef<Integer> big = weft.task(Fns::square, 6).numCpus(4).remote();
        assertFalse(big.isReady());
        String added = LocalClusterControl.of(weft).addNode(java.util.Map.of(Resources.CPU, 4.0));
        assertEquals(36, big.get());
        assertTrue(weft.nodes().stream().anyMatch(n -> n.nodeId().equals(added) && n.alive()));
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static NodeInfo node(Weft weft, String id) {
        return weft.nodes().stream().filter(n -> n.nodeId().equals(id)).findFirst().orElseThrow();
    }

    private static double used(NodeInfo n) {
        return n.totalResources().getOrDefault(Resources.CPU, 0.0) - n.availableResources().getOrDefault(Resources.CPU, 0.0);
    }

    /** Polls until the CPUs in use per live node, sorted, are {@code expectedSorted}. */
    private static void awaitReserved(Weft weft, List<Double> expectedSorted) {
        Poll.until(() -> usedSorted(weft).equals(expectedSorted),
                "CPUs in use per node " + expectedSorted + ", last seen " + usedSorted(weft));
    }

    private static List<Double> usedSorted(Weft weft) {
        double[] used = weft.nodes().stream().filter(NodeInfo::alive).mapToDouble(MultiNodeTest::used).toArray();
        Arrays.sort(used);
        return Arrays.stream(used).boxed().toList();
    }
}
