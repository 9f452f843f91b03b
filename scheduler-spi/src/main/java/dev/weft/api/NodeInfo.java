package dev.weft.api;

import java.util.Map;

/**
 * A node of the cluster as seen by the state API: its resources and its object store's use.
 *
 * @param objectStoreUsedBytes     bytes held in the node's object store memory (primary and secondary copies)
 * @param objectCount              objects held in the node's object store (in memory or spilled)
 * @param objectStoreCapacityBytes the store's memory capacity; 0 when the store has no fixed capacity
 * @param spilledBytes             bytes of objects that live only in spill files now
 * @param spillFileCount           spill files on disk or object storage now
 * @param totalSpilledBytes        bytes written to spill files since the node started
 * @param totalRestoredBytes       bytes read back from spill files since the node started
 */
public record NodeInfo(String nodeId, boolean alive, Map<String, Double> totalResources,
                       Map<String, Double> availableResources, long objectStoreUsedBytes, long objectCount,
                       long objectStoreCapacityBytes, long spilledBytes, long spillFileCount, long totalSpilledBytes,
                       long totalRestoredBytes) {
    public NodeInfo {
        totalResources = Map.copyOf(totalResources);
        availableResources = Map.copyOf(availableResources);
    }

    /** A node whose store does not spill and has no fixed capacity. */
    public NodeInfo(String nodeId, boolean alive, Map<String, Double> totalResources,
                    Map<String, Double> availableResources, long objectStoreUsedBytes, long objectCount) {
        this(nodeId, alive, totalResources, availableResources, objectStoreUsedBytes, objectCount, 0, 0, 0, 0, 0);
    }
}
