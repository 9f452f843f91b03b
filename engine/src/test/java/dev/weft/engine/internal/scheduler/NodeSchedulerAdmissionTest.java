package dev.weft.engine.internal.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.engine.internal.objects.HeapNodeStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node's loop admits work while its resources allow, queues the rest, gives resources back on done and
 * while work is blocked, and takes them back (oversubscribing if need be) when it unblocks. Outcomes are
 * read through the loop's own thread ({@code runAndWait}), never by sleeping.
 */
class NodeSchedulerAdmissionTest {
    private final LinkedBlockingQueue<TestingWork> started = new LinkedBlockingQueue<>();
    private final List<Work> redispatched = new CopyOnWriteArrayList<>();
    private final NodeScheduler node = new NodeScheduler(0, "node-0", cpus(2), new HeapNodeStore(), redispatched::add);

    @AfterEach
    void stop() {
        node.shutdown();
    }

    private static double[] cpus(double n) {
        double[] v = new double[NodeScheduler.INBOUND_SLOTS];
        v[0] = n;
        return v;
    }

    private final class TestingWork extends Work {
        final String name;
        volatile long lease;
        volatile boolean cancelled;

        TestingWork(String name, double cpus) {
            super(new double[] {cpus});
            this.name = name;
        }

        @Override
        protected void start(NodeScheduler n, long lease) {
            this.lease = lease;
            started.add(this);
        }

        @Override
        protected boolean isCancelled() {
            return cancelled;
        }

        @Override
        protected void abandoned(NodeScheduler n, boolean wasRunning) {
        }

        @Override
        protected void rejected(String reason) {
        }

        @Override
        public boolean awaitingPlacement() {
            return lease == 0;
        }

        @Override
        public void unschedulable(RuntimeException error) {
        }

        @Override
        public String describe() {
            return name;
        }
    }

    private TestingWork nextStarted() throws InterruptedException {
        TestingWork w = started.poll(30, TimeUnit.SECONDS);
        assertTrue(w != null, "no work started");
        return w;
    }

    private double availableCpu() {
        double[] out = new double[1];
        node.runAndWait(n -> out[0] = n.snapshot().available()[0]);
        // the snapshot is published at the end of the batch that ran the action: read it after one more round
        node.runAndWait(n -> out[0] = n.snapshot().available()[0]);
        return out[0];
    }

    @Test
    void admitsWhileResourcesAllowAndQueuesTheRest() throws InterruptedException {
        TestingWork a = new TestingWork("a", 1);
        TestingWork b = new TestingWork("b", 1);
        TestingWork c = new TestingWork("c", 1);
        node.submit(a, false);
        node.submit(b, false);
        node.submit(c, false);
        assertEquals(a, nextStarted());
        assertEquals(b, nextStarted());
        assertEquals(0.0, availableCpu());
        assertTrue(started.isEmpty());
        node.done(a, a.lease);
        assertEquals(c, nextStarted());
        node.done(b, b.lease);
        node.done(c, c.lease);
        assertEquals(2.0, availableCpu());
    }

    @Test
    void fractionalDemandsShareACpu() throws InterruptedException {
        for (int i = 0; i < 8; i++) {
            node.submit(new TestingWork("quarter-" + i, 0.25), false);
        }
        for (int i = 0; i < 8; i++) {
            nextStarted();
        }
        assertEquals(0.0, availableCpu(), 1e-9);
    }

    @Test
    void blockedWorkLendsItsResourcesAndTakesThemBack() throws InterruptedException {
        TestingWork a = new TestingWork("a", 2);
        TestingWork b = new TestingWork("b", 2);
        node.submit(a, false);
        node.submit(b, false);
        assertEquals(a, nextStarted());
        node.blocked(a, a.lease);
        assertEquals(b, nextStarted());
        node.unblocked(a, a.lease);
        assertEquals(-2.0, availableCpu()); // briefly oversubscribed
        node.done(b, b.lease);
        node.done(a, a.lease);
        node.done(a, a.lease); // a stale second done changes nothing
        assertEquals(2.0, availableCpu());
    }

    @Test
    void cancelledQueuedWorkNeverStarts() throws InterruptedException {
        TestingWork a = new TestingWork("a", 2);
        TestingWork b = new TestingWork("b", 2);
        TestingWork c = new TestingWork("c", 2);
        node.submit(a, false);
        node.submit(b, false);
        node.submit(c, false);
        assertEquals(a, nextStarted());
        b.cancelled = true;
        node.done(a, a.lease);
        assertEquals(c, nextStarted());
        assertFalse(started.contains(b));
    }

    @Test
    void bundlesReserveAllOrNothingAndRunTheirOwnWork() throws InterruptedException {
        boolean[] ok = new boolean[2];
        node.runAndWait(n -> ok[0] = n.reserveBundles("pg", 2, new int[] {0, 1}, new double[][] {{1}, {1}}));
        node.runAndWait(n -> ok[1] = n.reserveBundles("pg2", 1, new int[] {0}, new double[][] {{1}}));
        assertTrue(ok[0]);
        assertFalse(ok[1]);
        assertEquals(0.0, availableCpu());
        TestingWork inBundle = new TestingWork("in-bundle", 1);
        inBundle.groupId = "pg";
        inBundle.bundleIndex = 1;
        node.submit(inBundle, false);
        assertEquals(inBundle, nextStarted());
        node.runAndWait(n -> n.releaseBundles("pg", "test"));
        assertEquals(2.0, availableCpu());
        node.done(inBundle, inBundle.lease); // its resources went back with the bundle
        assertEquals(2.0, availableCpu());
    }

    @Test
    void workArrivingAtADeadNodeIsHandedBackForPlacement() {
        node.runAndWait(NodeScheduler::die);
        TestingWork late = new TestingWork("late", 1);
        node.submit(late, false);
        node.runAndWait(n -> { });
        assertEquals(List.of(late), redispatched);
    }
}
