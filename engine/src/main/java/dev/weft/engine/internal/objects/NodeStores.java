package dev.weft.engine.internal.objects;

import dev.weft.api.WeftConfig;
import dev.weft.store.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the object stores of one runtime's virtual nodes from its {@link WeftConfig}: per-node capacity
 * ({@code objectStoreBytes}, or 30 % of physical memory divided by the number of nodes), spill locations
 * ({@code spillUris}, or a temporary directory this class deletes on {@link #close()}), and Hadoop settings
 * for non-local spill URIs from properties named {@value #HADOOP_PREFIX}{@code <key>}. Thread-safe.
 */
public final class NodeStores implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStores.class);
    /** Properties with this prefix are passed (without it) to Hadoop for spill URIs such as {@code s3a://}. */
    public static final String HADOOP_PREFIX = "objectStore.hadoop.";
    /** How long a put waits for space before failing, as an ISO-8601 duration (default PT60S). */
    public static final String PUT_TIMEOUT = "objectStore.putTimeout";
    /** Fraction of capacity above which objects are spilled (default 0.8). */
    public static final String SPILL_THRESHOLD = "objectStore.spillThreshold";

    private final String runtimeId;
    private final long capacityPerNode;
    private final List<URI> spillUris;
    private final Path tempDir;
    private final Map<String, String> hadoopConf;
    private final Duration putTimeout;
    private final double spillThreshold;

    public NodeStores(String runtimeId, WeftConfig config, int nodeCount) {
        this.runtimeId = runtimeId;
        this.capacityPerNode = config.objectStoreBytes() > 0 ? config.objectStoreBytes()
                : Math.max(64L << 20, StoreConfig.defaultCapacityBytes() / Math.max(1, nodeCount));
        List<URI> uris = new ArrayList<>();
        for (String s : config.spillUris()) {
            uris.add(toUri(s));
        }
        if (uris.isEmpty()) {
            try {
                tempDir = Files.createTempDirectory("weft-spill-" + runtimeId + "-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary spill directory for runtime " + runtimeId, e);
            }
            uris.add(tempDir.toUri());
        } else {
            tempDir = null;
        }
        this.spillUris = List.copyOf(uris);
        Map<String, String> hadoop = new java.util.LinkedHashMap<>();
        config.properties().forEach((k, v) -> {
            if (k.startsWith(HADOOP_PREFIX)) {
                hadoop.put(k.substring(HADOOP_PREFIX.length()), v);
            }
        });
        this.hadoopConf = Map.copyOf(hadoop);
        try {
            this.putTimeout = Duration.parse(config.property(PUT_TIMEOUT, "PT60S"));
            this.spillThreshold = Double.parseDouble(config.property(SPILL_THRESHOLD, "0.8"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad object store property " + PUT_TIMEOUT + "='"
                    + config.property(PUT_TIMEOUT, "") + "' or " + SPILL_THRESHOLD + "='"
                    + config.property(SPILL_THRESHOLD, "") + "': " + e.getMessage(), e);
        }
    }

    /** A spill URI as configured: a URI with a scheme, else a local path. */
    private static URI toUri(String s) {
        int colon = s.indexOf(':');
        int slash = s.indexOf('/');
        if (colon > 1 && (slash < 0 || colon < slash)) {
            return URI.create(s);
        }
        return Path.of(s).toAbsolutePath().toUri();
    }

    public long capacityPerNode() {
        return capacityPerNode;
    }

    public List<URI> spillUris() {
        return spillUris;
    }

    /** Opens the store of node {@code nodeId}; {@code onLost} hears of objects whose spill records are lost. */
    public NodeObjectStore open(String nodeId, NodeObjectStore.LostHandler onLost) {
        StoreConfig.Builder b = StoreConfig.builder()
                .name(runtimeId + "-" + nodeId)
                .capacityBytes(capacityPerNode)
                .spillThreshold(spillThreshold)
                .putTimeout(putTimeout)
                .hadoopConf(hadoopConf);
        spillUris.forEach(b::spillUri);
        return new NodeObjectStore(nodeId, b.build(), onLost);
    }

    /** Deletes the temporary spill directory, if this runtime made one (after every store was closed). */
    @Override
    public void close() {
        if (tempDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(tempDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete the temporary spill directory {} of runtime {}", tempDir, runtimeId, e);
        }
    }
}
