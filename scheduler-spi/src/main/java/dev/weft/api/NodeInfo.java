package dev.weft.api;

import java.util.Map;

/** A node of the cluster as seen by the state API. */
public record NodeInfo(String nodeId, boolean alive, Map<String, Double> totalResources,
                       Map<String, Double> availableResources) {
    public NodeInfo {
        totalResources = Map.copyOf(totalResources);
        availableResources = Map.copyOf(availableResources);
    }
}
