package dev.weft.api;

import java.util.Map;

/**
 * A node of the cluster as seen by the state API: its resources and its object store's use.
 *
 * @param objectStoreUsedBytes bytes held in the node's object store (primary and secondary copies, not spilled)
 * @param objectCount          objects held in the node's object store
 */
public record NodeInfo(String nodeId, boolean alive, Map<String, Double> totalResources,
                       Map<String, Double> availableResources, long objectStoreUsedBytes, long objectCount) {
    public NodeInfo {
        totalResources = Map.copyOf(totalResources);
        availableResources = Map.copyOf(availableResources);
    }
}
