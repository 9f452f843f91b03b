package dev.weft.engine.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.api.ObjectLostException;
import dev.weft.api.ObjectRef;
import dev.weft.api.Resources;
import dev.weft.api.SchedulingStrategy;
import dev.weft.api.TaskUnschedulableException;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.api.WeftException;
import dev.weft.engine.LocalClusterControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/**
 * Node deaths while work is on its way to, queued on, admitted to or running on the node, and reads of what the
 * node held: the killer returns, tasks with retries left are resubmitted on a live node, and readers of lost put
 * objects get an {@link ObjectLostException} naming the object and the node.
 */
class NodeLossTest {
    private static final int LONGS = 32 * 1024; // 256 KiB: above the inline limit, so put into the node's store
    private static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

    private static CountDownLatch gate(String key) {
        return GATES.computeIfAbsent(key, k -> new CountDownLatch(1));
    }

    static long[] longs(int seed) {
        long[] a = new long[LONGS];
        for (int i = 0; i < LONGS; i++) {
            a[i] = seed * 1_000_003L + i * 31L;
        }
        return a;
    }

    static long sum(long[] a) {
        long s = 0;
        for (long x : a) {
            s += x;
        }
        return s;
    }

    /**
     * Waits for the gate, then puts a large array from inside the task (into its node's store), reads it back and
     * returns its sum: run on a dead node, the put finds the node's store closed.
     */
    static long gatedPutAndSum(String gate, int seed) throws InterruptedException {
        gate(gate).await();
        ObjectRef<long[]> ref = Weft.current().put(longs(seed));
        long s = sum(ref.get());
        ref.close();
        return s;
    }

    /** Puts an Arrow batch and a large array from inside the task and hands both refs back inside a list. */
    static List<ObjectRef<?>> putBoth(int rows) {
        try (VectorSchemaRoot batch = batch(rows)) {
            return List.of(Weft.current().put(batch), Weft.current().put(longs(4)));
        }
    }

    static VectorSchemaRoot batch(int rows) {
        BufferAllocator allocator = new RootAllocator();
        BigIntVector v = new BigIntVector("v", allocator);
        v.allocateNew(rows);
        for (int i = 0; i < rows; i++) {
            v.set(i, 7L * i);
        }
        v.setValueCount(rows);
        return new VectorSchemaRoot(List.of(v.getField()), List.of(v), rows) {
            @Override
            public void close() {
                super.close();
                allocator.close();
            }
        };
    }

    private static LocalRuntime runtime(Weft weft) {
        return (LocalRuntime) weft.runtime();
    }

    @Test
    void tasksAdmittedToANodeJustBeforeItDiesAreResubmittedOnALiveNode() throws InterruptedException {
        // Every carrier of virtual threads is kept busy while tasks are submitted to the victim and it is killed
        // (from this platform thread): the victim's loop admits two tasks, starting their workers, which cannot
        // run before the death. Those tasks were not yet running, so the death leaves them to their workers,
        // which must send them back to be placed on a live node, not run them on the dead one (where the task's
        // put would fail with the dead node's closed store).
        int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                Runtime.getRuntime().availableProcessors());
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(2, 2).objectStoreBytes(64L << 20).build())) {
            LocalClusterControl control = LocalClusterControl.of(weft);
            for (int round = 0; round < 3; round++) {
                String victim = control.addNode(Map.of(Resources.CPU, 2.0));
                String key = UUID.randomUUID().toString();
                List<ObjectRef<Long>> refs = new ArrayList<>();
                AtomicBoolean spin = new AtomicBoolean(true);
                CountDownLatch spinning = new CountDownLatch(carriers);
                List<Thread> spinners = new ArrayList<>();
                for (int c = 0; c < carriers; c++) {
                    spinners.add(Thread.ofVirtual().start(() -> {
                        spinning.countDown();
                        while (spin.get()) {
                            Thread.onSpinWait(); // never parks, so it keeps its carrier
                        }
                    }));
                }
                try {
                    spinning.await();
                    for (int i = 0; i < 2; i++) {
                        refs.add(weft.task(NodeLossTest::gatedPutAndSum, key, i)
                                .schedulingStrategy(SchedulingStrategy.nodeAffinity(victim, true)).remote());
                    }
                    control.killNode(victim);
                } finally {
                    spin.set(false);
                }
                for (Thread t : spinners) {
                    t.join();
                }
                gate(key).countDown();
                for (int i = 0; i < refs.size(); i++) {
                    try {
                        assertEquals(sum(longs(i)), refs.get(i).get(), "task " + i + " of round " + round);
                    } catch (WeftException e) {
                        fail("task " + i + " of round " + round + " (submitted to " + victim + ", killed) failed "
                                + "instead of running again on a live node: " + e, e);
                    }
                    refs.get(i).close();
                }
            }
        }
    }

    @Test
    void aTaskWithHardAffinityToADeadNodeFailsNamingTheTaskAndTheNode() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(2, 2).objectStoreBytes(64L << 20).build())) {
            String victim = weft.nodes().get(1).nodeId();
            LocalClusterControl.of(weft).killNode(victim);
            ObjectRef<Long> ref = weft.task(NodeLossTest::sum, longs(1))
                    .schedulingStrategy(SchedulingStrategy.nodeAffinity(victim, false)).remote();
            TaskUnschedulableException e = assertThrows(TaskUnschedulableException.class, ref::get);
            assertTrue(e.getMessage().contains(ref.id()) && e.getMessage().contains(victim)
                    && e.getMessage().contains("dead"), e.getMessage());
        }
    }

    @Test
    void killingANodeWhileReadersReadItsPutObjectsReturnsAndTheReadersGetObjectLost() throws Exception {
        // 12,600 rows: buffers under the inline limit, IPC image over it (the window of a former RAW-store bug).
        for (int rows : new int[] {12_600, 1 << 15}) {
            try (Weft weft = Weft.init(WeftConfig.builder().nodes(3, 2).objectStoreBytes(64L << 20).build())) {
                String victim = weft.nodes().get(1).nodeId();
                List<ObjectRef<?>> inside = weft.task(NodeLossTest::putBoth, rows)
                        .schedulingStrategy(SchedulingStrategy.nodeAffinity(victim, false)).remote().get();
                try (VectorSchemaRoot before = (VectorSchemaRoot) inside.get(0).get()) {
                    assertEquals(rows, before.getRowCount(), "readable before the kill");
                    assertEquals(7L * (rows - 1), ((BigIntVector) before.getVector(0)).get(rows - 1));
                }
                AtomicBoolean stop = new AtomicBoolean();
                ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
                List<Thread> readers = new ArrayList<>();
                for (ObjectRef<?> ref : inside) {
                    readers.add(Thread.ofVirtual().start(() -> {
                        while (!stop.get()) {
                            try {
                                Object v = ref.get();
                                if (v instanceof VectorSchemaRoot root) {
                                    root.close();
                                }
                            } catch (ObjectLostException lost) {
                                if (!lost.getMessage().contains(ref.id())) {
                                    unexpected.add(lost);
                                }
                                return;
                            } catch (Throwable t) {
                                unexpected.add(t);
                                return;
                            }
                        }
                    }));
                }
                LocalClusterControl.of(weft).killNode(victim); // returns: the readers' loss is theirs
                stop.set(true);
                for (Thread t : readers) {
                    t.join();
                }
                assertTrue(unexpected.isEmpty(), "readers saw only ObjectLostException naming their object: "
                        + unexpected);
                for (ObjectRef<?> ref : inside) {
                    ObjectLostException e = assertThrows(ObjectLostException.class, ref::get);
                    assertTrue(e.getMessage().contains(ref.id()) && e.getMessage().contains(victim)
                            && e.getMessage().contains("put"), e.getMessage());
                    assertTrue(java.util.Arrays.stream(e.getStackTrace())
                            .noneMatch(f -> f.getMethodName().equals("killNode")),
                            "the trace is the reader's, not that of the kill which recorded the loss");
                }
                inside.forEach(ObjectRef::close);
            }
        }
    }
}
