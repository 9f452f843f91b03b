package dev.weft.engine.internal.runtime;

import java.util.List;
import java.util.Map;

/** The test hooks of a runtime with virtual nodes, exposed publicly through {@code LocalClusterControl}. */
public interface VirtualCluster {
    /** Makes a node vanish: running work abandoned (and retried elsewhere), actors dead, store dropped. */
    void killNode(String nodeId);

    /** Adds a node with these resources; returns its id. */
    String addNode(Map<String, Double> resources);

    List<String> nodeIds();

    long storeUsedBytes(String nodeId);

    long storeObjectCount(String nodeId);

    /** The code that {@code close()} interrupted and that was still running when close returned; empty before. */
    List<dev.weft.engine.Straggler> stragglers();
}
