package dev.weft.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.api.NodeInfo;
import dev.weft.api.Resources;
import dev.weft.api.SchedulingStrategy;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.data.internal.arrow.DataAllocators;

/** One embedded cluster for a test class, and the leak check every test ends with. */
final class WeftCluster {
    private WeftCluster() {
    }

    static Weft start(int nodes, double cpus, long storeBytes) {
        DataContext.setCurrent(DataContext.builder().progressBars(false).build());
        WeftConfig.Builder b = WeftConfig.builder().address("local").nodes(nodes, cpus);
        if (storeBytes > 0) {
            b.objectStoreBytes(storeBytes);
        }
        return Weft.init(b.build());
    }

    /** The node this driver puts to: the one whose object count a put raises. */
    static String driverNode(Weft weft) {
        dev.weft.engine.LocalClusterControl control = dev.weft.engine.LocalClusterControl.of(weft);
        java.util.Map<String, Long> before = new java.util.HashMap<>();
        for (String id : control.nodeIds()) {
            before.put(id, control.storeObjectCount(id));
        }
        try (dev.weft.api.ObjectRef<byte[]> marker = weft.put(new byte[1 << 20])) {
            for (String id : control.nodeIds()) {
                if (control.storeObjectCount(id) > before.get(id)) {
                    return id;
                }
            }
        }
        throw new AssertionError("no node holds the driver's put");
    }

    /** Join tasks run so far in this JVM that made their hash table in more than one chunk. */
    static long chunkedJoins() {
        return dev.weft.data.internal.exec.StreamingTasks.chunkedJoins();
    }

    /**
     * The datasets allocator tree holds nothing: every batch a test or the executor made was closed. After a job
     * failed, tasks of it that were already running finish (and free their batches) in the background, so the
     * check gives them a few seconds; memory still held after that is a leak.
     */
    static void assertNoLeaks() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (DataAllocators.root().getAllocatedMemory() != 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        assertEquals(0, DataAllocators.root().getAllocatedMemory(),
                "datasets allocator still holds memory:\n" + DataAllocators.root().toVerboseString());
    }

    /**
     * Every node's CPUs are free: a task that needs all of a node's CPUs, pinned to it, runs only once nothing holds
     * one there (an actor left behind would keep it waiting, and the calling test's timeout would fail it).
     */
    static void assertEveryCpuFree(Weft weft) {
        for (NodeInfo n : weft.nodes()) {
            double cpus = n.totalResources().get(Resources.CPU);
            String ran = weft.task(WeftCluster::nodeIsFree, n.nodeId()).numCpus(cpus)
                    .schedulingStrategy(SchedulingStrategy.nodeAffinity(n.nodeId(), false)).remote().get();
            assertEquals(n.nodeId(), ran);
        }
    }

    private static String nodeIsFree(String nodeId) {
        return nodeId;
    }
}
