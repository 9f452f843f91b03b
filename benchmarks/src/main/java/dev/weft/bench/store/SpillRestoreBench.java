package dev.weft.bench.store;

import dev.weft.store.Encoding;
import dev.weft.store.ObjectId;
import dev.weft.store.ObjectSource;
import dev.weft.store.ObjectStore;
import dev.weft.store.ObjectView;
import dev.weft.store.PutOptions;
import dev.weft.store.StoreConfig;
import dev.weft.store.internal.DefaultObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
 * Spill and restore of {@code total} bytes held as objects of {@code objectSize}, against a plain sequential write
 * (with force) and read of the same bytes in the same directory, in the same run. Small objects are fused into
 * files of the fuse target (Ray writes 1–2 MB files there); restores run on {@code readers} threads at once.
 * Each iteration times one whole spill or restore (single shot), with fresh files.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 6)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:MaxDirectMemorySize=8g"})
public class SpillRestoreBench {
    private static final int READERS = 4;

    @Param({"1MiB", "64MiB"})
    public String objectSize;

    @Param({"512MiB"})
    public String total;

    private Arena arena;
    private MemorySegment source;
    private MemorySegment readTarget;
    private Path dir;
    private DefaultObjectStore store;
    private List<ObjectId> ids;
    private Path plainFile;
    private ExecutorService readers;

    @Setup(Level.Trial)
    public void setUpTrial() throws IOException {
        long bytes = BenchSizes.parse(total);
        arena = Arena.ofShared();
        source = BenchSizes.filled(arena, bytes, 3);
        readTarget = arena.allocate(bytes, 64);
        readTarget.fill((byte) 0);
        dir = Files.createTempDirectory(BenchSizes.benchDir(), "weft-spill-bench");
        readers = Executors.newFixedThreadPool(READERS);
    }

    @TearDown(Level.Trial)
    public void tearDownTrial() throws IOException {
        readers.shutdownNow();
        arena.close();
        Files.deleteIfExists(dir);
    }

    /**
     * A store holding {@code total} bytes in memory; for the read benchmarks the objects are then spilled (and the
     * plain file written), untimed, so the timed part is only the restore (or read).
     */
    @Setup(Level.Iteration)
    public void setUpIteration(BenchmarkParams params) throws IOException {
        long bytes = BenchSizes.parse(total);
        long each = BenchSizes.parse(objectSize);
        store = (DefaultObjectStore) ObjectStore.create(StoreConfig.builder().name("bench")
                .capacityBytes(bytes + (64 << 20)).spillThreshold(1.0).spillDirectory(dir).ioThreads(2)
                .putTimeout(Duration.ofMinutes(5)).build());
        ids = new ArrayList<>();
        for (long off = 0; off < bytes; off += each) {
            ObjectId id = ObjectId.of("o" + off);
            store.put(id, ObjectSource.bytes(Encoding.RAW, source.asSlice(off, Math.min(each, bytes - off)).asByteBuffer()),
                    PutOptions.primary("bench"));
            ids.add(id);
        }
        plainFile = dir.resolve("plain.bin");
        String name = params.getBenchmark();
        if (name.endsWith(".restore")) {
            store.spillNow();
        } else if (name.endsWith(".plainRead")) {
            writePlain();
        }
    }

    @TearDown(Level.Iteration)
    public void tearDownIteration() throws IOException {
        store.close();
        Files.deleteIfExists(plainFile);
    }

    @Benchmark
    public long spill() {
        store.spillNow();
        return store.stats().totalSpilledBytes();
    }

    @Benchmark
    public long plainWrite() throws IOException {
        writePlain();
        return source.byteSize();
    }

    /** Every object read back from its spill file by {@code READERS} threads at once. */
    @Benchmark
    public long restore() throws Exception {
        return restoreAll();
    }

    @Benchmark
    public long plainRead() throws IOException {
        try (FileChannel ch = FileChannel.open(plainFile, StandardOpenOption.READ)) {
            long size = readTarget.byteSize();
            for (long off = 0; off < size; ) {
                ByteBuffer dst = readTarget.asSlice(off, Math.min(8 << 20, size - off)).asByteBuffer();
                while (dst.hasRemaining()) {
                    ch.read(dst, off + dst.position());
                }
                off += dst.capacity();
            }
        }
        return readTarget.byteSize();
    }

    private long restoreAll() throws Exception {
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

    private void writePlain() throws IOException {
        try (FileChannel ch = FileChannel.open(plainFile, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            long size = source.byteSize();
            for (long off = 0; off < size; ) {
                ByteBuffer src = source.asSlice(off, Math.min(8 << 20, size - off)).asByteBuffer();
                while (src.hasRemaining()) {
                    ch.write(src);
                }
                off += src.capacity();
            }
            ch.force(false);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
