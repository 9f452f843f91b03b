package dev.weft.spill;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * Any Hadoop {@code FileSystem} URI ({@code s3a://}, {@code hdfs://}, test file systems). Hadoop streams take
 * heap arrays, so bytes move through a per-call heap chunk.
 */
final class HadoopSpillTarget implements SpillTarget {
    private static final int CHUNK = 4 << 20;

    private final URI uri;
    private final Path root;
    private final FileSystem fs;
    /**
     * One open stream per spill file: opening costs a metadata round trip (an S3 HEAD), more than reading a
     * small record. Positional reads on a Hadoop stream are safe from several threads.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, FSDataInputStream> readers =
            new java.util.concurrent.ConcurrentHashMap<>();

    HadoopSpillTarget(URI uri, Map<String, String> hadoopConf) throws IOException {
        this.uri = uri;
        Configuration conf = new Configuration();
        hadoopConf.forEach(conf::set);
        this.root = new Path(uri);
        // A private instance: closing it must not close a FileSystem that other code got from Hadoop's cache.
        this.fs = FileSystem.newInstance(uri, conf);
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public String describe(String name) {
        return new Path(root, name).toString();
    }

    @Override
    public void checkWritable() throws IOException {
        fs.mkdirs(root);
        Path probe = new Path(root, ".weft-probe-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try (FSDataOutputStream out = fs.create(probe, true)) {
            out.write(1);
        } finally {
            fs.delete(probe, false);
        }
    }

    @Override
    public SpillWriter create(String name) throws IOException {
        Path file = new Path(root, name);
        return new Writer(file, fs.create(file, false));
    }

    @Override
    public void read(String name, long offset, MemorySegment target, SliceConsumer onSlice) throws IOException {
        Path file = new Path(root, name);
        long size = target.byteSize();
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(1, size))];
        FSDataInputStream in = readers.get(name);
        if (in == null) {
            FSDataInputStream opened = fs.open(file);
            in = readers.putIfAbsent(name, opened);
            if (in == null) {
                in = opened;
            } else {
                opened.close();
            }
        }
        long done = 0;
        while (done < size) {
            int len = (int) Math.min(chunk.length, size - done);
            in.readFully(offset + done, chunk, 0, len);
            MemorySegment.copy(MemorySegment.ofArray(chunk), 0, target, done, len);
            onSlice.accept(target.asSlice(done, len));
            done += len;
        }
    }

    @Override
    public void delete(String name) throws IOException {
        FSDataInputStream in = readers.remove(name);
        if (in != null) {
            in.close();
        }
        fs.delete(new Path(root, name), false);
    }

    @Override
    public void close() throws IOException {
        for (FSDataInputStream in : readers.values()) {
            in.close();
        }
        readers.clear();
        fs.close();
    }

    private final class Writer implements SpillWriter {
        private final Path file;
        private final FSDataOutputStream out;
        private final byte[] chunk = new byte[CHUNK];
        private long position;
        private boolean done;

        Writer(Path file, FSDataOutputStream out) {
            this.file = file;
            this.out = out;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void write(MemorySegment source) throws IOException {
            long size = source.byteSize();
            long off = 0;
            while (off < size) {
                int len = (int) Math.min(chunk.length, size - off);
                MemorySegment.copy(source, off, MemorySegment.ofArray(chunk), 0, len);
                out.write(chunk, 0, len);
                off += len;
            }
            position += size;
        }

        @Override
        public void commit() throws IOException {
            // For object stores close() is the upload; for HDFS hsync makes it durable before close.
            if (out.hasCapability(StreamCapabilities.HSYNC)) {
                out.hsync();
            }
            out.close();
            done = true;
        }

        @Override
        public void abort() {
            if (done) {
                return;
            }
            done = true;
            try {
                out.close();
            } catch (IOException ignored) {
                // The delete below is what matters.
            }
            try {
                fs.delete(file, false);
            } catch (IOException ignored) {
                // Best effort: the store deletes its files again on close.
            }
        }
    }
}
