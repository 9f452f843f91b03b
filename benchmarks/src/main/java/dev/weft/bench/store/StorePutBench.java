package dev.weft.bench.store;

import dev.weft.store.Encoding;
import dev.weft.store.MemoryBackend;
import dev.weft.store.ObjectId;
import dev.weft.store.ObjectSource;
import dev.weft.store.ObjectStore;
import dev.weft.store.PutOptions;
import dev.weft.store.StoreConfig;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
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

/**
 * {@code put} bandwidth (put then delete, so the store never fills) against a plain off-heap copy of the same
 * bytes into memory allocated once, and against malloc + copy + free, in the same run. The {@code backend}
 * parameter compares Arrow's allocator with FFM memory wrapped by {@code wrapForeignAllocation}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:MaxDirectMemorySize=8g"})
public class StorePutBench {
    @Param({"1MiB", "100MiB", "1GiB"})
    public String size;

    @Param({"POOLED", "FFM", "ARROW"})
    public MemoryBackend backend;

    private Arena arena;
    private MemorySegment source;
    private MemorySegment target;
    private ObjectStore store;
    private long bytes;
    private long next;

    @Setup(Level.Trial)
    public void setUp() {
        bytes = BenchSizes.parse(size);
        arena = Arena.ofShared();
        source = BenchSizes.filled(arena, bytes, 1);
        target = arena.allocate(bytes, 64);
        target.fill((byte) 0);
        store = ObjectStore.create(StoreConfig.builder().name("bench").capacityBytes(2 * bytes + (64 << 20))
                .memoryBackend(backend).putTimeout(Duration.ofMinutes(1)).build());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
        arena.close();
    }

    @Benchmark
    public long put() {
        ObjectId id = ObjectId.of("o" + next++);
        store.put(id, ObjectSource.bytes(Encoding.RAW, source.asByteBuffer()), PutOptions.primary("bench"));
        store.delete(id);
        return next;
    }

    /** The physical limit: the same bytes copied into off-heap memory that is already mapped. */
    @Benchmark
    public MemorySegment plainCopy() {
        MemorySegment.copy(source, 0, target, 0, bytes);
        return target;
    }

    /** What any store that allocates per object pays at least: allocate, copy, free. */
    @Benchmark
    public long plainAllocCopyFree() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment t = a.allocate(bytes, 64);
            MemorySegment.copy(source, 0, t, 0, bytes);
            return t.address();
        }
    }
}
