package dev.weft.engine.internal.cluster;

import dev.weft.api.Bundle;
import dev.weft.api.ObjectRef;
import dev.weft.api.PlacementGroup;
import dev.weft.api.PlacementStrategy;
import java.util.List;

/**
 * A placement group on the cluster, owned by the driver that made it: each bundle reserved on one node (the
 * bundles a node holds form a group of that node's embedded engine), all or nothing. Thread-safe.
 *
 * @param parts for each bundle, the node holding it and its index among that node's bundles
 */
final class ClusterPlacementGroup implements PlacementGroup {
    /** Where bundle i lives: the node's address and the index of the bundle in the node's part of the group. */
    record Part(String address, int localIndex) {
    }

    private final String id;
    private final PlacementStrategy strategy;
    private final List<Bundle> bundles;
    private final List<Part> parts;
    private final ObjectRef<Boolean> ready;
    private final Runnable remove;

    ClusterPlacementGroup(String id, PlacementStrategy strategy, List<Bundle> bundles, List<Part> parts,
                          ObjectRef<Boolean> ready, Runnable remove) {
        this.id = id;
        this.strategy = strategy;
        this.bundles = List.copyOf(bundles);
        this.parts = List.copyOf(parts);
        this.ready = ready;
        this.remove = remove;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public PlacementStrategy strategy() {
        return strategy;
    }

    @Override
    public List<Bundle> bundles() {
        return bundles;
    }

    /** Where bundle {@code index} lives; {@code -1} (any bundle) means the first. */
    Part part(int index) {
        return parts.get(Math.max(0, index));
    }

    @Override
    public ObjectRef<Boolean> ready() {
        return ready;
    }

    @Override
    public void remove() {
        remove.run();
    }

    @Override
    public String toString() {
        return "PlacementGroup(" + id + ", " + strategy + ", " + bundles.size() + " bundles)";
    }
}
