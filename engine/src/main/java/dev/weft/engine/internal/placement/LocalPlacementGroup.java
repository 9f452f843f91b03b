package dev.weft.engine.internal.placement;

import dev.weft.api.Bundle;
import dev.weft.api.ObjectRef;
import dev.weft.api.PlacementGroup;
import dev.weft.api.PlacementStrategy;
import java.util.List;
import java.util.function.Consumer;

/** A placement group of an in-JVM runtime; the runtime keeps its reservations. Immutable and thread-safe. */
public final class LocalPlacementGroup implements PlacementGroup {
    private final String id;
    private final String name;
    private final PlacementStrategy strategy;
    private final List<Bundle> bundles;
    private final ObjectRef<Boolean> ready;
    private final Consumer<LocalPlacementGroup> remover;
    private final Object runtime;

    public LocalPlacementGroup(String id, String name, PlacementStrategy strategy, List<Bundle> bundles,
                               ObjectRef<Boolean> ready, Consumer<LocalPlacementGroup> remover, Object runtime) {
        this.id = id;
        this.name = name;
        this.strategy = strategy;
        this.bundles = List.copyOf(bundles);
        this.ready = ready;
        this.remover = remover;
        this.runtime = runtime;
    }

    @Override
    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** The runtime that created this group (to reject groups of another runtime). */
    public Object runtime() {
        return runtime;
    }

    @Override
    public PlacementStrategy strategy() {
        return strategy;
    }

    @Override
    public List<Bundle> bundles() {
        return bundles;
    }

    @Override
    public ObjectRef<Boolean> ready() {
        return ready;
    }

    @Override
    public void remove() {
        remover.accept(this);
    }

    @Override
    public String toString() {
        return "PlacementGroup(" + id + ", " + strategy + ", " + bundles.size() + " bundles)";
    }
}
