package dev.weft.api;

import java.util.List;

/**
 * A set of resource bundles reserved atomically across nodes. Tasks and actors are scheduled into a
 * bundle with {@code placementGroup(pg, bundleIndex)}. Thread-safe; may be passed to tasks.
 */
public interface PlacementGroup {
    String id();

    PlacementStrategy strategy();

    List<Bundle> bundles();

    /**
     * An object that becomes {@code true} once every bundle is reserved; it fails with
     * {@link TaskUnschedulableException} when the group can never be placed on the cluster as it is.
     */
    ObjectRef<Boolean> ready();

    /** Frees the reserved resources; tasks and actors still running in the group are cancelled/killed. */
    void remove();
}
