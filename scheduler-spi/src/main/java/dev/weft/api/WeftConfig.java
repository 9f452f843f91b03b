package dev.weft.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@link Weft#init(WeftConfig)} starts or joins a runtime. Immutable; build with {@link #builder()}.
 *
 * @param address            {@code null} or "local" for the embedded cluster, "inline" for the debugging
 *                           runtime, {@code host:port} / {@code weft://host:port} for a running cluster
 * @param nodes              the virtual nodes of an embedded cluster, each with its resources; empty means one
 *                           node with every CPU of this machine
 * @param objectStoreBytes   per-node object store capacity; 0 means the default (30 % of physical memory / nodes)
 * @param spillUris          where objects spill ({@code file:} directories, {@code s3a://bucket/prefix}, ...);
 *                           empty means a temporary local directory
 * @param infeasibleTimeout  how long a task that no node can ever satisfy waits before it fails
 * @param properties         provider-specific settings, by name
 */
public record WeftConfig(String address, List<Map<String, Double>> nodes, long objectStoreBytes,
                         List<String> spillUris, Duration infeasibleTimeout, Map<String, String> properties) {
    /** The environment variable that chooses the runtime when no address is configured. */
    public static final String ADDRESS_ENV = "WEFT_ADDRESS";

    public WeftConfig {
        nodes = nodes.stream().map(Resources::copyOf).toList();
        if (objectStoreBytes < 0) {
            throw new IllegalArgumentException("objectStoreBytes must be >= 0, got " + objectStoreBytes);
        }
        spillUris = List.copyOf(spillUris);
        if (infeasibleTimeout == null || infeasibleTimeout.isNegative()) {
            throw new IllegalArgumentException("infeasibleTimeout must be >= 0, got " + infeasibleTimeout);
        }
        properties = Map.copyOf(properties);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The configured address, else {@code $WEFT_ADDRESS}, else "local". */
    public String effectiveAddress() {
        if (address != null && !address.isBlank()) {
            return address.trim();
        }
        String env = System.getenv(ADDRESS_ENV);
        return env == null || env.isBlank() ? "local" : env.trim();
    }

    public String property(String name, String defaultValue) {
        return properties.getOrDefault(name, defaultValue);
    }

    /** Not thread-safe; {@link #build()} copies. */
    public static final class Builder {
        private String address;
        private final List<Map<String, Double>> nodes = new ArrayList<>();
        private long objectStoreBytes;
        private final List<String> spillUris = new ArrayList<>();
        private Duration infeasibleTimeout = Duration.ofSeconds(60);
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder address(String address) {
            this.address = address;
            return this;
        }

        /** Adds a virtual node with these resources, e.g. {@code Map.of("CPU", 2.0, "GPU", 1.0)}. */
        public Builder addNode(Map<String, Double> resources) {
            nodes.add(Resources.copyOf(resources));
            return this;
        }

        /** Adds {@code count} virtual nodes with {@code cpus} CPUs each. */
        public Builder nodes(int count, double cpus) {
            if (count < 1) {
                throw new IllegalArgumentException("node count must be >= 1, got " + count);
            }
            for (int i = 0; i < count; i++) {
                addNode(Map.of(Resources.CPU, cpus));
            }
            return this;
        }

        public Builder objectStoreBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("objectStoreBytes must be >= 0, got " + bytes);
            }
            this.objectStoreBytes = bytes;
            return this;
        }

        public Builder spillUri(String uri) {
            if (uri == null || uri.isBlank()) {
                throw new IllegalArgumentException("spill URI must not be blank");
            }
            spillUris.add(uri);
            return this;
        }

        public Builder infeasibleTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative()) {
                throw new IllegalArgumentException("infeasibleTimeout must be >= 0, got " + timeout);
            }
            this.infeasibleTimeout = timeout;
            return this;
        }

        public Builder property(String name, String value) {
            properties.put(name, value);
            return this;
        }

        public WeftConfig build() {
            return new WeftConfig(address, nodes, objectStoreBytes, spillUris, infeasibleTimeout, properties);
        }
    }
}
