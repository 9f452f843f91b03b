package dev.weft.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import dev.weft.api.SchedulingStrategy;
import dev.weft.api.SerializationException;
import dev.weft.api.TaskCancelledException;
import dev.weft.api.TaskFailedException;
import dev.weft.api.TaskUnschedulableException;
import dev.weft.api.WaitResult;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.api.WeftException;
import dev.weft.engine.LocalClusterControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The engine's own behaviour checks on the local provider (the black-box suite lives in the api tests). */
class LocalEngineBehaviourTest {
    static final CountDownLatch NEVER = new CountDownLatch(1);

    static int fib(int n) {
        if (n < 2) {
            return n;
        }
        Weft weft = Weft.current();
        ObjectRef<Integer> a = weft.task(LocalEngineBehaviourTest::fib, n - 1).remote();
        ObjectRef<Integer> b = weft.task(LocalEngineBehaviourTest::fib, n - 2).remote();
        return a.get() + b.get();
    }

    static String whereAmI() {
        return Thread.currentThread().getName();
    }

    static int boom(int x) {
        throw new IllegalStateException("boom " + x);
    }

    static int oom() {
        throw new OutOfMemoryError("user code ran out");
    }

    static int blockForever() throws InterruptedException {
        NEVER.await();
        return 1;
    }

    static byte[] bigBytes(int n) {
        byte[] b = new byte[n];
        b[0] = 7;
        return b;
    }

    static int firstByte(byte[] b) {
        return b[0];
    }

    static int sumRefs(List<ObjectRef<Integer>> refs) {
        int s = 0;
        for (ObjectRef<Integer> r : refs) {
            s += r.get();
        }
        return s;
    }

    static final class Counter {
        int v;

        Counter(int start) {
            v = start;
        }

        int incr() {
            return ++v;
        }

        int value() {
            return v;
        }
    }

    static final class NotSerializable {
    }

    @Test
    void recursiveFanOutDeeperThanTheCpuCountCompletes() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(1, 2).build())) {
            assertEquals(55, weft.task(LocalEngineBehaviourTest::fib, 10).remote().get(Duration.ofSeconds(60)));
        }
    }

    @Test
    void errorsCarryTheTaskNameClassMessageAndRemoteTrace() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(1, 2).build())) {
            ObjectRef<Integer> r = weft.task(LocalEngineBehaviourTest::boom, 3).remote();
            TaskFailedException e = assertThrows(TaskFailedException.class, r::get);
            assertEquals("LocalEngineBehaviourTest.boom", e.taskName());
            assertEquals(IllegalStateException.class.getName(), e.originalClassName());
            assertEquals("boom 3", e.originalMessage());
            assertTrue(e.remoteStackTrace().contains("LocalEngineBehaviourTest.boom"), e.remoteStackTrace());
            assertInstanceOf(IllegalStateException.class, e.getCause());
            ObjectRef<Integer> dependent = weft.task(LocalEngineBehaviourTest::firstByteOf, r).remote();
            assertThrows(TaskFailedException.class, dependent::get);

            TaskFailedException oom = assertThrows(TaskFailedException.class, () -> weft.task(LocalEngineBehaviourTest::oom).remote().get());
            assertEquals(OutOfMemoryError.class.getName(), oom.originalClassName());
            assertEquals(16, weft.task(ExampleSmokeTest::square, 4).remote().get());
        }
    }

    static int firstByteOf(int x) {
        return x;
    }

    @Test
    void aCaptureThatCannotBeSerializedFailsAtSubmission() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(1, 1).build())) {
            NotSerializable captured = new NotSerializable();
            SerializationException e = assertThrows(SerializationException.class,
                    () -> weft.task(() -> captured.hashCode()).remote());
            assertTrue(e.getMessage().contains(NotSerializable.class.getName()), e.getMessage());
            int k = 5;
            assertEquals(6, weft.task(() -> k + 1).remote().get());
        }
    }

    @Test
    void waitReturnsReadyRefsAndRespectsTheTimeout() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(1, 2).build())) {
            ObjectRef<Integer> slow = weft.task(LocalEngineBehaviourTest::blockForever).remote();
            ObjectRef<Integer> fast = weft.task(ExampleSmokeTest::square, 2).remote();
            WaitResult<Integer> w = weft.wait(List.of(slow, fast), 1, Duration.ofSeconds(30));
            assertEquals(List.of(fast), w.getReady());
            assertEquals(List.of(slow), w.getUnready());
            WaitResult<Integer> none = weft.wait(List.of(slow), 1, Duration.ofMillis(50));
            assertEquals(0, none.getReady().size());
            weft.cancel(slow, true);
            assertThrows(TaskCancelledException.class, slow::get);
        }
    }

    @Test
    void refsNestedInValuesAreBorrowedNotResolved() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(2, 1).build())) {
            List<ObjectRef<Integer>> refs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                refs.add(weft.put(i));
            }
            assertEquals(10, weft.task(LocalEngineBehaviourTest::sumRefs, refs).remote().get());
            ObjectRef<List<ObjectRef<Integer>>> holder = weft.put(refs);
            List<ObjectRef<Integer>> back = holder.get();
            assertEquals(3, back.get(3).get());
        }
    }

    @Test
    void objectsAreFreedFromTheStoreWhenHandlesClose() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(1, 1).build())) {
            ObjectRef<byte[]> big = weft.task(LocalEngineBehaviourTest::bigBytes, 1 << 20).remote();
            assertEquals(7, weft.task(LocalEngineBehaviourTest::firstByte, big).remote().get());
            assertTrue(storeBytes(weft) >= 1 << 20);
            big.close();
            assertThrows(WeftException.class, big::get);
            // the free is an event on the node's loop: a later round trip through the same node has seen it
            weft.task(ExampleSmokeTest::square, 1).remote().get();
            awaitStoreEmpty(weft);
        }
    }

    static long storeBytes(Weft weft) {
        return weft.nodes().stream().mapToLong(NodeInfo::objectStoreUsedBytes).sum();
    }

    static void awaitStoreEmpty(Weft weft) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (storeBytes(weft) != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, storeBytes(weft));
    }

    @Test
    void actorsRunInOrderRestartAndDie() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(1, 2).build())) {
            ActorHandle<Counter> c = weft.actor(Counter::new, 0).maxRestarts(1).name("counter").remote();
            for (int i = 0; i < 1000; i++) {
                c.task(Counter::incr).remote();
            }
            assertEquals(1000, c.task(Counter::value).remote().get());
            assertEquals(c, weft.getActor("counter").orElseThrow());
            weft.kill(c, false);
            assertEquals(0, c.task(Counter::value).remote().get()); // restarted: constructor ran again
            weft.kill(c, false);
            ActorDiedException e = assertThrows(ActorDiedException.class, () -> c.task(Counter::value).remote().get());
            assertTrue(e.getMessage().contains("actor-"), e.getMessage());
            assertTrue(weft.getActor("counter").isEmpty());
        }
    }

    @Test
    void tasksRetryElsewhereWhenTheirNodeDiesAndLostObjectsAreRebuilt() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(3, 1).build())) {
            LocalClusterControl control = LocalClusterControl.of(weft);
            ObjectRef<byte[]> big = weft.task(LocalEngineBehaviourTest::bigBytes, 1 << 20)
                    .schedulingStrategy(SchedulingStrategy.nodeAffinity("node-1", true)).remote();
            ObjectRef<Integer> first = weft.task(LocalEngineBehaviourTest::firstByte, big)
                    .schedulingStrategy(SchedulingStrategy.nodeAffinity("node-1", true)).remote();
            assertEquals(7, first.get());
            assertTrue(control.storeUsedBytes("node-1") >= 1 << 20);
            ObjectRef<byte[]> put = weft.task(LocalEngineBehaviourTest::putBig).schedulingStrategy(
                    SchedulingStrategy.nodeAffinity("node-1", false)).remote().get();
            control.killNode("node-1");
            assertEquals(7, weft.task(LocalEngineBehaviourTest::firstByte, big).remote().get());
            assertTrue(control.storeUsedBytes("node-1") == 0);
            assertThrows(ObjectLostException.class, put::get);
        }
    }

    static ObjectRef<byte[]> putBig() {
        return Weft.current().put(bigBytes(1 << 20));
    }

    @Test
    void placementGroupsReserveAcrossNodesOrFail() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(3, 2).infeasibleTimeout(Duration.ofMillis(200)).build())) {
            PlacementGroup spread = weft.placementGroup(PlacementStrategy.STRICT_SPREAD, Bundle.cpus(1), Bundle.cpus(1), Bundle.cpus(1));
            assertTrue(spread.ready().get());
            Set<String> threads = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                threads.add(weft.task(LocalEngineBehaviourTest::whereAmI).placementGroup(spread, i).remote().get());
            }
            PlacementGroup tooMany = weft.placementGroup(PlacementStrategy.STRICT_SPREAD, Bundle.cpus(1), Bundle.cpus(1),
                    Bundle.cpus(1), Bundle.cpus(1));
            assertThrows(TaskUnschedulableException.class, () -> tooMany.ready().get());
            PlacementGroup pack = weft.placementGroup(PlacementStrategy.STRICT_PACK, Bundle.cpus(1), Bundle.cpus(1));
            assertTrue(!pack.ready().isReady() || pack.ready().get()); // every node has 1 CPU left until spread goes
            spread.remove();
            assertTrue(pack.ready().get());
            pack.remove();
            assertThrows(TaskUnschedulableException.class, () -> weft.task(ExampleSmokeTest::square, 2).numCpus(64).remote().get());
            assertEquals(0.25 * 4, weft.get(List.of(
                    weft.task(ExampleSmokeTest::square, 1).numCpus(0.25).remote(),
                    weft.task(ExampleSmokeTest::square, 1).numCpus(0.25).remote(),
                    weft.task(ExampleSmokeTest::square, 1).numCpus(0.25).remote(),
                    weft.task(ExampleSmokeTest::square, 1).numCpus(0.25).remote())).stream().mapToInt(i -> i).sum() * 0.25);
        }
    }
}
