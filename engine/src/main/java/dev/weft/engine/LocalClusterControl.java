package dev.weft.engine;

import dev.weft.api.Weft;
import dev.weft.engine.internal.runtime.RunningCode;
import dev.weft.engine.internal.runtime.VirtualCluster;
import java.util.List;
import java.util.Map;

/**
 * Test hook on the embedded {@code local} runtime's virtual nodes: kill a node (its running tasks are
 * abandoned and retried elsewhere, its actors die and may restart, its store is dropped and lost objects are
 * rebuilt from lineage), add a node, and read each node's store use. Thread-safe. Not for production code.
 */
public final class LocalClusterControl {
    /**
     * The {@link dev.weft.api.WeftConfig} property that sets how long {@code close()} waits for interrupted tasks
     * and actor calls to end (an ISO-8601 duration such as {@code PT2S}; default five seconds).
     */
    public static final String CLOSE_GRACE = RunningCode.CLOSE_GRACE;

    private final VirtualCluster cluster;

    private LocalClusterControl(VirtualCluster cluster) {
        this.cluster = cluster;
    }

    /** The control of {@code weft}'s runtime; fails unless it is the {@code local} provider's. */
    public static LocalClusterControl of(Weft weft) {
        if (weft.runtime() instanceof VirtualCluster vc) {
            return new LocalClusterControl(vc);
        }
        throw new IllegalArgumentException("LocalClusterControl needs the 'local' runtime, got '"
                + weft.runtime().providerName() + "'");
    }

    /** Makes {@code nodeId} vanish now; returns once its work has been abandoned and its store dropped. */
    public void killNode(String nodeId) {
        cluster.killNode(nodeId);
    }

    /** Adds a virtual node with {@code resources} (e.g. {@code Map.of("CPU", 2.0)}); returns its id. */
    public String addNode(Map<String, Double> resources) {
        return cluster.addNode(resources);
    }

    /** Ids of every node, alive or dead, in creation order. */
    public List<String> nodeIds() {
        return cluster.nodeIds();
    }

    /** Bytes held in {@code nodeId}'s object store. */
    public long storeUsedBytes(String nodeId) {
        return cluster.storeUsedBytes(nodeId);
    }

    /** Objects held in {@code nodeId}'s object store. */
    public long storeObjectCount(String nodeId) {
        return cluster.storeObjectCount(nodeId);
    }

    /**
     * The tasks, actor calls and actor constructors that {@code close()} interrupted and that were still running
     * when its grace period ({@link #CLOSE_GRACE}) ran out; each was also logged at WARN. Empty until the runtime
     * is closed, and empty when everything stopped in time.
     */
    public List<Straggler> stragglers() {
        return cluster.stragglers();
    }
}
