package dev.weft.api;

import java.util.Map;

/** A set of resources reserved together on one node as part of a {@link PlacementGroup}. */
public record Bundle(Map<String, Double> resources) {
    public Bundle {
        resources = Resources.copyOf(resources);
        if (resources.isEmpty()) {
            throw new IllegalArgumentException("a bundle must reserve some resource, got " + resources);
        }
    }

    public static Bundle cpus(double cpus) {
        return new Bundle(Map.of(Resources.CPU, cpus));
    }

    public static Bundle of(Map<String, Double> resources) {
        return new Bundle(resources);
    }
}
