package dev.weft.connectors.internal.fs;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;

/**
 * Hadoop {@link Configuration}s built from plain string settings, so that read and write tasks carry a
 * serializable map and rebuild the configuration where they run. Built configurations are cached per settings
 * (loading Hadoop's defaults costs milliseconds) and must be treated as read-only.
 */
public final class HadoopConf {
    private static final Map<Map<String, String>, Configuration> CACHE = new ConcurrentHashMap<>();

    private HadoopConf() {}

    /** A configuration with Hadoop's defaults plus {@code settings}. */
    public static Configuration of(Map<String, String> settings) {
        return CACHE.computeIfAbsent(new TreeMap<>(settings), HadoopConf::build);
    }

    private static Configuration build(Map<String, String> settings) {
        Configuration conf = new Configuration();
        // Cached FileSystem instances would outlive a test's S3 endpoint; Hadoop keys its cache by URI and user
        // only, so distinct settings must not share one.
        conf.setBoolean("fs.s3a.impl.disable.cache", true);
        settings.forEach(conf::set);
        return conf;
    }
}
