package dev.weft.spill;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.util.functional.FutureIO;

/**
 * Any Hadoop {@code FileSystem} URI ({@code s3a://}, {@code hdfs://}, test file systems). Hadoop streams take
 * heap arrays, so bytes move through pooled heap chunks. Reads go through one open stream per spill file
 * ({@link SequentialFileReader}): concurrent restores from a file become large reads in file order, not
 * requests per object.
 */
final class HadoopSpillTarget implements SpillTarget {
    private static final int CHUNK = 4 << 20;

    /** Heap chunks the readers copy through: large positional reads are what object-store streams serve fastest. */
    private static final int READ_CHUNK = 4 << 20;
    private static final int POOLED_CHUNKS = 8;
    /**
     * Idle open streams kept beyond this many are closed: each holds an HTTP connection from the client's
     * pool, which must not run dry however many spill files there are.
     */
    private static final int MAX_OPEN_STREAMS = 16;

    private final URI uri;
    private final Path root;
    private final FileSystem fs;
    /** One sequential reader per spill file being read (see {@link SequentialFileReader}). */
    private final ConcurrentHashMap<String, SequentialFileReader> readers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<byte[]> chunkPool = new ConcurrentLinkedDeque<>();
    private final SequentialFileReader.Chunks chunks = new SequentialFileReader.Chunks() {
        @Override
        public byte[] take() {
            byte[] c = chunkPool.pollFirst();
            return c != null ? c : new byte[READ_CHUNK];
        }

        @Override
        public void give(byte[] chunk) {
            if (chunkPool.size() < POOLED_CHUNKS) {
                chunkPool.offerFirst(chunk);
            }
        }
    };

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
        readRecord(name, offset, MemorySegment.NULL, target, onSlice);
    }

    @Override
    public void readRecord(String name, long offset, MemorySegment head, MemorySegment body,
                           SliceConsumer onBodySlice) throws IOException {
        SequentialFileReader reader = readers.computeIfAbsent(name, n -> new SequentialFileReader(describe(n),
                () -> openSequential(new Path(root, n)), chunks));
        reader.read(offset, head, body, onBodySlice);
        if (readers.size() > MAX_OPEN_STREAMS) {
            closeIdleStreams();
        }
    }

    private FSDataInputStream openSequential(Path file) throws IOException {
        // Restores walk a file forwards: say so, so that the stream prefetches rather than fetching per read.
        return FutureIO.awaitFuture(fs.openFile(file)
                .opt(Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY,
                        Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY_SEQUENTIAL)
                .build());
    }

    /** Closes the least recently used idle streams beyond {@link #MAX_OPEN_STREAMS}. */
    private void closeIdleStreams() {
        List<SequentialFileReader> open = new ArrayList<>();
        for (SequentialFileReader r : readers.values()) {
            if (r.isOpen()) {
                open.add(r);
            }
        }
        if (open.size() <= MAX_OPEN_STREAMS) {
            return;
        }
        open.sort(Comparator.comparingLong(r -> r.lastUse));
        int excess = open.size() - MAX_OPEN_STREAMS;
        for (int i = 0; i < open.size() && excess > 0; i++) {
            if (open.get(i).closeIfIdle()) {
                excess--;
            }
        }
    }

    @Override
    public void delete(String name) throws IOException {
        SequentialFileReader reader = readers.remove(name);
        if (reader != null) {
            reader.close();
        }
        fs.delete(new Path(root, name), false);
    }

    @Override
    public void close() throws IOException {
        for (SequentialFileReader reader : readers.values()) {
            reader.close();
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
