package dev.weft.store;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of one node's object store. Build with {@link #builder()}; every value is validated there.
 *
 * @param name            names the store's allocator and prefixes its spill files (several stores may share a directory)
 * @param capacityBytes   fixed off-heap capacity; default 30 % of physical memory
 * @param spillThreshold  fraction of capacity above which unpinned primaries are spilled; default 0.8
 * @param spillUris       where spill files go, used round-robin: {@code file:} directories or any Hadoop
 *                        {@code FileSystem} URI ({@code s3a://bucket/prefix}, {@code hdfs://...}); empty = no spilling
 * @param fuseTargetBytes small objects are fused into spill files of at least this size (when that many bytes
 *                        are spillable); default 100 MiB
 * @param ioThreads       threads that write spill files (restores run on the reading threads, in parallel); default 2
 * @param putTimeout      how long a {@code put} waits for space before {@link dev.weft.api.ObjectStoreFullException}; default 60 s
 * @param hadoopConf      extra Hadoop configuration for non-{@code file:} spill URIs (for example S3A endpoint and keys)
 * @param memoryBackend   where off-heap bytes come from; see {@link MemoryBackend}
 * @param verifyChecksums whether restores check each object's CRC32C (written always)
 */
public record StoreConfig(String name, long capacityBytes, double spillThreshold, List<URI> spillUris,
                          long fuseTargetBytes, int ioThreads, Duration putTimeout, Map<String, String> hadoopConf,
                          MemoryBackend memoryBackend, boolean verifyChecksums) {

    public static final long DEFAULT_FUSE_TARGET_BYTES = 100L << 20;

    public StoreConfig {
        Objects.requireNonNull(name, "name");
        spillUris = List.copyOf(spillUris);
        hadoopConf = Map.copyOf(hadoopConf);
        Objects.requireNonNull(putTimeout, "putTimeout");
        Objects.requireNonNull(memoryBackend, "memoryBackend");
    }

    public boolean spillEnabled() {
        return !spillUris.isEmpty();
    }

    /** 30 % of this machine's physical memory. */
    public static long defaultCapacityBytes() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return (long) (os.getTotalMemorySize() * 0.30);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Validating builder; not thread-safe. */
    public static final class Builder {
        private String name = "store";
        private long capacityBytes = -1;
        private double spillThreshold = 0.8;
        private final List<URI> spillUris = new ArrayList<>();
        private long fuseTargetBytes = DEFAULT_FUSE_TARGET_BYTES;
        private int ioThreads = 2;
        private Duration putTimeout = Duration.ofSeconds(60);
        private final Map<String, String> hadoopConf = new LinkedHashMap<>();
        private MemoryBackend memoryBackend = MemoryBackend.POOLED;
        private boolean verifyChecksums = true;

        private Builder() {
        }

        public Builder name(String name) {
            if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("name must be 1..64 characters of [A-Za-z0-9._-], got '" + name + "'");
            }
            this.name = name;
            return this;
        }

        public Builder capacityBytes(long capacityBytes) {
            if (capacityBytes <= 0) {
                throw new IllegalArgumentException("capacityBytes must be > 0, got " + capacityBytes);
            }
            this.capacityBytes = capacityBytes;
            return this;
        }

        public Builder spillThreshold(double spillThreshold) {
            if (!(spillThreshold > 0 && spillThreshold <= 1)) {
                throw new IllegalArgumentException("spillThreshold must be in (0, 1], got " + spillThreshold);
            }
            this.spillThreshold = spillThreshold;
            return this;
        }

        /** Adds a spill location: a {@code file:} directory or any Hadoop FileSystem URI. */
        public Builder spillUri(URI uri) {
            Objects.requireNonNull(uri, "uri");
            if (uri.getScheme() == null) {
                throw new IllegalArgumentException("spill URI needs a scheme (file:, s3a:, hdfs:, ...), got '" + uri + "'");
            }
            spillUris.add(uri);
            return this;
        }

        /** Adds a local spill directory (several directories are used round-robin, like several disks). */
        public Builder spillDirectory(Path directory) {
            return spillUri(directory.toAbsolutePath().toUri());
        }

        public Builder fuseTargetBytes(long fuseTargetBytes) {
            if (fuseTargetBytes <= 0) {
                throw new IllegalArgumentException("fuseTargetBytes must be > 0, got " + fuseTargetBytes);
            }
            this.fuseTargetBytes = fuseTargetBytes;
            return this;
        }

        public Builder ioThreads(int ioThreads) {
            if (ioThreads < 1 || ioThreads > 64) {
                throw new IllegalArgumentException("ioThreads must be in 1..64, got " + ioThreads);
            }
            this.ioThreads = ioThreads;
            return this;
        }

        public Builder putTimeout(Duration putTimeout) {
            if (putTimeout == null || putTimeout.isNegative()) {
                throw new IllegalArgumentException("putTimeout must be >= 0, got " + putTimeout);
            }
            this.putTimeout = putTimeout;
            return this;
        }

        /** Sets one Hadoop configuration key used for non-{@code file:} spill URIs. */
        public Builder hadoopConf(String key, String value) {
            hadoopConf.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder hadoopConf(Map<String, String> conf) {
            conf.forEach(this::hadoopConf);
            return this;
        }

        public Builder memoryBackend(MemoryBackend memoryBackend) {
            this.memoryBackend = Objects.requireNonNull(memoryBackend, "memoryBackend");
            return this;
        }

        public Builder verifyChecksums(boolean verifyChecksums) {
            this.verifyChecksums = verifyChecksums;
            return this;
        }

        public StoreConfig build() {
            long capacity = capacityBytes > 0 ? capacityBytes : defaultCapacityBytes();
            return new StoreConfig(name, capacity, spillThreshold, spillUris, fuseTargetBytes, ioThreads,
                    putTimeout, hadoopConf, memoryBackend, verifyChecksums);
        }
    }
}
