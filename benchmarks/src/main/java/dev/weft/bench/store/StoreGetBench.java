package dev.weft.bench.store;

import dev.weft.store.ObjectId;
import dev.weft.store.ObjectSource;
import dev.weft.store.ObjectStore;
import dev.weft.store.ObjectView;
import dev.weft.store.PutOptions;
import dev.weft.store.StoreConfig;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
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
 * Zero-copy {@code get} latency by object size: a pinned view of raw bytes, and a {@code VectorSchemaRoot} over an
 * Arrow IPC object (one int64 column of the given size). Neither copies data, so the time should not grow with
 * size; a plain off-heap copy of the same bytes is measured alongside for the "get GB/s" comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:MaxDirectMemorySize=8g"})
public class StoreGetBench {
    @Param({"1MiB", "100MiB", "1GiB"})
    public String size;

    private Arena arena;
    private ObjectStore store;
    private final ObjectId raw = ObjectId.of("raw");
    private final ObjectId arrow = ObjectId.of("arrow");
    private MemorySegment plainTarget;
    private MemorySegment plainSource;

    @Setup(Level.Trial)
    public void setUp() {
        long bytes = BenchSizes.parse(size);
        arena = Arena.ofShared();
        plainSource = BenchSizes.filled(arena, bytes, 2);
        plainTarget = arena.allocate(bytes, 64);
        plainTarget.fill((byte) 0);
        store = ObjectStore.create(StoreConfig.builder().name("bench").capacityBytes(2 * bytes + (64 << 20)).build());
        store.put(raw, ObjectSource.bytes(dev.weft.store.Encoding.RAW, plainSource.asByteBuffer()), PutOptions.primary("b"));
        int rows = (int) (bytes / 8);
        try (RootAllocator producer = new RootAllocator();
             BigIntVector v = new BigIntVector("v", producer)) {
            v.allocateNew(rows);
            for (int i = 0; i < rows; i++) {
                v.set(i, i);
            }
            v.setValueCount(rows);
            try (VectorSchemaRoot root = VectorSchemaRoot.of(v)) {
                store.put(arrow, ObjectSource.arrow(root), PutOptions.primary("b"));
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
        arena.close();
    }

    @Benchmark
    public long getRaw() {
        try (ObjectView v = store.get(raw).orElseThrow()) {
            return v.asSegment().address();
        }
    }

    @Benchmark
    public long getArrow() {
        try (ObjectView v = store.get(arrow).orElseThrow()) {
            VectorSchemaRoot root = v.asArrow();
            return ((BigIntVector) root.getVector(0)).get(root.getRowCount() - 1);
        }
    }

    @Benchmark
    public MemorySegment plainCopy() {
        MemorySegment.copy(plainSource, 0, plainTarget, 0, plainTarget.byteSize());
        return plainTarget;
    }
}
