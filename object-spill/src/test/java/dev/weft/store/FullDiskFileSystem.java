package dev.weft.store;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A local file system under the scheme {@code fullfs:} whose disk is "full" after {@code fs.fullfs.limit.bytes}
 * bytes written in total: further writes fail with the error a real full disk gives. A unit-level double for
 * the disk (tmpfs cannot be mounted here); the store under test is real.
 */
public class FullDiskFileSystem extends RawLocalFileSystem {
    private static final URI NAME = URI.create("fullfs:///");
    private final AtomicLong written = new AtomicLong();
    private long limit;

    @Override
    public void initialize(URI uri, Configuration conf) throws IOException {
        super.initialize(uri, conf);
        limit = conf.getLong("fs.fullfs.limit.bytes", Long.MAX_VALUE);
    }

    @Override
    public URI getUri() {
        return NAME;
    }

    @Override
    public String getScheme() {
        return "fullfs";
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                     short replication, long blockSize, Progressable progress) throws IOException {
        return limited(super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress));
    }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                     Progressable progress) throws IOException {
        return limited(super.create(f, overwrite, bufferSize, replication, blockSize, progress));
    }

    private FSDataOutputStream limited(FSDataOutputStream out) throws IOException {
        return new FSDataOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written.addAndGet(len) > limit) {
                    throw new IOException("No space left on device");
                }
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        }, statistics);
    }
}
