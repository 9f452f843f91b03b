package dev.weft.spill;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** Opens {@link SpillTarget}s by URI: {@code file:} through NIO file channels, anything else through Hadoop. */
public final class SpillTargets {
    private SpillTargets() {
    }

    /**
     * Opens the location {@code uri}. {@code hadoopConf} is applied on top of Hadoop's defaults for
     * non-{@code file:} URIs (for example {@code fs.s3a.endpoint}).
     */
    public static SpillTarget open(URI uri, Map<String, String> hadoopConf) throws IOException {
        if ("file".equals(uri.getScheme())) {
            return new LocalSpillTarget(uri, Path.of(uri));
        }
        return new HadoopSpillTarget(uri, hadoopConf);
    }
}
