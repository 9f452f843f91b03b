package dev.weft.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a task (or actor call) is run. Immutable; build with {@link #builder()}, which validates each value
 * and names the parameter when one is bad.
 *
 * @param resources          what the task holds while it runs (default 1 CPU); fractional amounts allowed
 * @param maxRetries         retries after a worker or node failure (default 3; -1 for unlimited)
 * @param retryExceptions    whether an exception thrown by the task also triggers a retry
 * @param name               shown in errors, logs and the state API; defaults to the function's name
 * @param strategy           where the task may run
 * @param placementGroup     the group whose bundle the task runs in, or {@code null}
 * @param bundleIndex        the bundle in {@code placementGroup}; -1 for any bundle
 */
public record TaskOptions(Map<String, Double> resources, int maxRetries, boolean retryExceptions, String name,
                          SchedulingStrategy strategy, PlacementGroup placementGroup, int bundleIndex) {
    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final TaskOptions DEFAULT = builder().build();

    public TaskOptions {
        resources = Resources.copyOf(resources);
        if (maxRetries < -1) {
            throw new IllegalArgumentException("maxRetries must be >= -1, got " + maxRetries);
        }
        if (strategy == null) {
            throw new IllegalArgumentException("schedulingStrategy must not be null");
        }
        if (placementGroup != null && bundleIndex >= placementGroup.bundles().size()) {
            throw new IllegalArgumentException("bundle index " + bundleIndex + " is out of range: placement group "
                    + placementGroup.id() + " has " + placementGroup.bundles().size() + " bundles");
        }
        if (bundleIndex < -1) {
            throw new IllegalArgumentException("bundle index must be >= 0 (or -1 for any), got " + bundleIndex);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.resources.clear();
        b.resources.putAll(resources);
        b.maxRetries = maxRetries;
        b.retryExceptions = retryExceptions;
        b.name = name;
        b.strategy = strategy;
        b.placementGroup = placementGroup;
        b.bundleIndex = bundleIndex;
        return b;
    }

    /** Not thread-safe; {@link #build()} copies. */
    public static final class Builder {
        private final Map<String, Double> resources = new LinkedHashMap<>(Map.of(Resources.CPU, 1.0));
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private boolean retryExceptions;
        private String name;
        private SchedulingStrategy strategy = SchedulingStrategy.DEFAULT;
        private PlacementGroup placementGroup;
        private int bundleIndex = -1;

        private Builder() {
        }

        public Builder numCpus(double cpus) {
            return resource(Resources.CPU, cpus);
        }

        public Builder numGpus(double gpus) {
            return resource(Resources.GPU, gpus);
        }

        public Builder resource(String name, double amount) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("resource name must not be blank");
            }
            resources.put(name, Resources.checkAmount(name, amount));
            return this;
        }

        public Builder maxRetries(int maxRetries) {
            if (maxRetries < -1) {
                throw new IllegalArgumentException("maxRetries must be >= -1, got " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        public Builder retryExceptions(boolean retryExceptions) {
            this.retryExceptions = retryExceptions;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
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

        public TaskOptions build() {
            return new TaskOptions(resources, maxRetries, retryExceptions, name, strategy, placementGroup, bundleIndex);
        }
    }
}
