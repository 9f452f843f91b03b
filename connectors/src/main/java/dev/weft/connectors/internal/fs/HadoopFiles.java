package dev.weft.connectors.internal.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;

/**
 * File systems per (settings, scheme, authority), and Parquet input/output files on them. Hadoop's own cache
 * keys file systems by scheme, authority and user only, so two S3 endpoints serving a bucket of the same name
 * would share one client; this cache keys by the settings too. Instances live as long as the process, like
 * Hadoop's. Thread-safe.
 */
public final class HadoopFiles {
    private record Key(Configuration conf, String scheme, String authority) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.conf == conf && java.util.Objects.equals(k.scheme, scheme)
                    && java.util.Objects.equals(k.authority, authority);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(conf) * 31 + java.util.Objects.hash(scheme, authority);
        }
    }

    private static final Map<Key, FileSystem> CACHE = new ConcurrentHashMap<>();

    private HadoopFiles() {}

    /** The file system of {@code path}; {@code conf} must come from {@link HadoopConf#of}. */
    public static FileSystem fs(Path path, Configuration conf) {
        java.net.URI uri = path.toUri();
        String scheme = uri.getScheme();
        if (scheme == null) {
            return local(conf);
        }
        return CACHE.computeIfAbsent(new Key(conf, scheme, uri.getAuthority()), k -> {
            try {
                return FileSystem.newInstance(uri, conf);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the file system of " + path + ": " + e.getMessage(), e);
            }
        });
    }

    private static FileSystem local(Configuration conf) {
        return CACHE.computeIfAbsent(new Key(conf, "", ""), k -> {
            try {
                return FileSystem.newInstance(FileSystem.getDefaultUri(conf), conf);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the default file system: " + e.getMessage(), e);
            }
        });
    }

    /** A Parquet input file read through {@link #fs}. */
    public static InputFile parquetInput(Path path, Configuration conf) throws IOException {
        FileSystem fs = fs(path, conf);
        long length = fs.getFileStatus(path).getLen();
        return new InputFile() {
            @Override
            public long getLength() {
                return length;
            }

            @Override
            public SeekableInputStream newStream() throws IOException {
                return HadoopStreams.wrap(fs.open(path));
            }

            @Override
            public String toString() {
                return path.toString();
            }
        };
    }

    /** A Parquet output file written through {@link #fs}. */
    public static OutputFile parquetOutput(Path path, Configuration conf) {
        FileSystem fs = fs(path, conf);
        return new OutputFile() {
            @Override
            public PositionOutputStream create(long blockSizeHint) throws IOException {
                return HadoopStreams.wrap(fs.create(path, false));
            }

            @Override
            public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
                return HadoopStreams.wrap(fs.create(path, true));
            }

            @Override
            public boolean supportsBlockSize() {
                return false;
            }

            @Override
            public long defaultBlockSize() {
                return 0;
            }

            @Override
            public String getPath() {
                return path.toString();
            }
        };
    }
}
