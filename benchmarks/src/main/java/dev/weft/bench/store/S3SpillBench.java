package dev.weft.bench.store;

import dev.weft.store.Encoding;
import dev.weft.store.ObjectId;
import dev.weft.store.ObjectSource;
import dev.weft.store.ObjectStore;
import dev.weft.store.ObjectView;
import dev.weft.store.PutOptions;
import dev.weft.store.StoreConfig;
import dev.weft.store.internal.DefaultObjectStore;
import dev.weft.testing.s3.S3Server;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Spill to and restore from the in-JVM S3 server (s3proxy, filesystem backend) through Hadoop S3A, against a
 * plain S3A write and read of the same bytes (one object, written and read through the same client) in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:MaxDirectMemorySize=8g"})
public class S3SpillBench {
    private static final int READERS = 4;

    @Param({"1MiB"})
    public String objectSize;

    @Param({"128MiB"})
    public String total;

    private Arena arena;
    private MemorySegment source;
    private Path dir;
    private S3Server s3;
    private FileSystem fs;
    private URI uri;
    private DefaultObjectStore store;
    private List<ObjectId> ids;
    private ExecutorService readers;
    private org.apache.hadoop.fs.Path plainObject;
    private byte[] chunk;
    private MemorySegment readTarget;

    @Setup(Level.Trial)
    public void setUpTrial() throws IOException {
        long bytes = BenchSizes.parse(total);
        arena = Arena.ofShared();
        source = BenchSizes.filled(arena, bytes, 4);
        dir = Files.createTempDirectory(BenchSizes.benchDir(), "weft-s3-bench");
        s3 = S3Server.builder().filesystem(dir).bucket("bench").start();
        uri = s3.uri("bench", "spill");
        Configuration conf = new Configuration();
        s3.hadoopConfiguration().forEach(conf::set);
        fs = FileSystem.newInstance(uri, conf);
        plainObject = new org.apache.hadoop.fs.Path(uri.toString() + "/plain.bin");
        readers = Executors.newFixedThreadPool(READERS);
        chunk = new byte[4 << 20];
        readTarget = arena.allocate(bytes, 64);
        readTarget.fill((byte) 0);
    }

    @TearDown(Level.Trial)
    public void tearDownTrial() throws IOException {
        readers.shutdownNow();
        fs.close();
        s3.close();
        arena.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Setup(Level.Iteration)
    public void setUpIteration(BenchmarkParams params) throws IOException {
        long bytes = BenchSizes.parse(total);
        long each = BenchSizes.parse(objectSize);
        store = (DefaultObjectStore) ObjectStore.create(StoreConfig.builder().name("s3bench")
                .capacityBytes(bytes + (64 << 20)).spillThreshold(1.0).spillUri(uri).hadoopConf(s3.hadoopConfiguration())
                .fuseTargetBytes(32 << 20).ioThreads(2).putTimeout(Duration.ofMinutes(5)).build());
        ids = new ArrayList<>();
        for (long off = 0; off < bytes; off += each) {
            ObjectId id = ObjectId.of("o" + off);
            store.put(id, ObjectSource.bytes(Encoding.RAW, source.asSlice(off, Math.min(each, bytes - off)).asByteBuffer()),
                    PutOptions.primary("bench"));
            ids.add(id);
        }
        String name = params.getBenchmark();
        if (name.endsWith(".restore")) {
            store.spillNow();
        } else if (name.endsWith(".plainRead")) {
            plainWrite();
        }
    }

    @TearDown(Level.Iteration)
    public void tearDownIteration() throws IOException {
        store.close();
        fs.delete(plainObject, false);
    }

    @Benchmark
    public long spill() {
        store.spillNow();
        return store.stats().totalSpilledBytes();
    }

    @Benchmark
    public long restore() throws Exception {
        List<Future<Long>> done = new ArrayList<>();
        int n = ids.size();
        for (int r = 0; r < READERS; r++) {
            int first = r;
            done.add(readers.submit(() -> {
                long sum = 0;
                for (int i = first; i < n; i += READERS) {
                    try (ObjectView v = store.get(ids.get(i)).orElseThrow()) {
                        sum += v.asSegment().byteSize();
                    }
                }
                return sum;
            }));
        }
        long sum = 0;
        for (Future<Long> f : done) {
            sum += f.get();
        }
        return sum;
    }

    @Benchmark
    public long plainWrite() throws IOException {
        long size = source.byteSize();
        try (FSDataOutputStream out = fs.create(plainObject, true)) {
            for (long off = 0; off < size; off += chunk.length) {
                int len = (int) Math.min(chunk.length, size - off);
                MemorySegment.copy(source, off, MemorySegment.ofArray(chunk), 0, len);
                out.write(chunk, 0, len);
            }
        }
        return size;
    }

    @Benchmark
    public long plainRead() throws IOException {
        long size = source.byteSize();
        MemorySegment target = readTarget;
        try (FSDataInputStream in = fs.open(plainObject)) {
            for (long off = 0; off < size; off += chunk.length) {
                int len = (int) Math.min(chunk.length, size - off);
                in.readFully(off, chunk, 0, len);
                MemorySegment.copy(MemorySegment.ofArray(chunk), 0, target, off, len);
            }
        }
        return size;
    }
}
