package dev.weft.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an actor is created and run. Immutable; build with {@link #builder()}.
 *
 * @param resources       held for the actor's whole life (default none: an actor holds no CPU while idle, as in Ray)
 * @param maxRestarts     restarts after its worker or node dies (default 0; -1 unlimited)
 * @param maxTaskRetries  retries of a call interrupted by such a death (default 0; -1 unlimited)
 * @param maxConcurrency  calls that may run at once (default 1: calls run one at a time, in order per caller)
 * @param name            registers the actor for {@code Weft.getActor(name)}, or {@code null}
 * @param detached        whether the actor outlives the {@code Weft} session that created it
 */
public record ActorOptions(Map<String, Double> resources, int maxRestarts, int maxTaskRetries, int maxConcurrency,
                           String name, boolean detached, SchedulingStrategy strategy,
                           PlacementGroup placementGroup, int bundleIndex) {
    public static final ActorOptions DEFAULT = builder().build();

    public ActorOptions {
        resources = Resources.copyOf(resources);
        if (maxRestarts < -1) {
            throw new IllegalArgumentException("maxRestarts must be >= -1, got " + maxRestarts);
        }
        if (maxTaskRetries < -1) {
            throw new IllegalArgumentException("maxTaskRetries must be >= -1, got " + maxTaskRetries);
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be >= 1, got " + maxConcurrency);
        }
        if (strategy == null) {
            throw new IllegalArgumentException("schedulingStrategy must not be null");
        }
        if (placementGroup != null && (bundleIndex < -1 || bundleIndex >= placementGroup.bundles().size())) {
            throw new IllegalArgumentException("bundle index " + bundleIndex + " is out of range: placement group "
                    + placementGroup.id() + " has " + placementGroup.bundles().size() + " bundles");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Not thread-safe; {@link #build()} copies. */
    public static final class Builder {
        private final Map<String, Double> resources = new LinkedHashMap<>();
        private int maxRestarts;
        private int maxTaskRetries;
        private int maxConcurrency = 1;
        private String name;
        private boolean detached;
        private SchedulingStrategy strategy = SchedulingStrategy.DEFAULT;
        private PlacementGroup placementGroup;
        private int bundleIndex = -1;

        private Builder() {
        }

        public Builder resource(String name, double amount) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("resource name must not be blank");
            }
            resources.put(name, Resources.checkAmount(name, amount));
            return this;
        }

        public Builder maxRestarts(int n) {
            if (n < -1) {
                throw new IllegalArgumentException("maxRestarts must be >= -1, got " + n);
            }
            maxRestarts = n;
            return this;
        }

        public Builder maxTaskRetries(int n) {
            if (n < -1) {
                throw new IllegalArgumentException("maxTaskRetries must be >= -1, got " + n);
            }
            maxTaskRetries = n;
            return this;
        }

        public Builder maxConcurrency(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConcurrency must be >= 1, got " + n);
            }
            maxConcurrency = n;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder detached(boolean detached) {
            this.detached = detached;
            return this;
        }

        public Builder schedulingStrategy(SchedulingStrategy strategy) {
            if (strategy == null) {
                throw new IllegalArgumentException("schedulingStrategy must not be null");
            }
            this.strategy = strategy;
            return this;
        }

        public Builder placementGroup(PlacementGroup group, int bundleIndex) {
            if (group == null) {
                throw new IllegalArgumentException("placementGroup must not be null");
            }
            if (bundleIndex < -1 || bundleIndex >= group.bundles().size()) {
                throw new IllegalArgumentException("bundle index " + bundleIndex + " is out of range: placement group "
                        + group.id() + " has " + group.bundles().size() + " bundles");
            }
            this.placementGroup = group;
            this.bundleIndex = bundleIndex;
            return this;
        }

        public ActorOptions build() {
            return new ActorOptions(resources, maxRestarts, maxTaskRetries, maxConcurrency, name, detached, strategy,
                    placementGroup, bundleIndex);
        }
    }
}
