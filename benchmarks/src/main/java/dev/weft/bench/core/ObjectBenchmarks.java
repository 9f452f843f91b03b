package dev.weft.bench.core;

import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Object shapes of {@code ray microbenchmark}: small put and get calls, put of a 100 MiB array (score × 100 MiB
 * = bytes per second), and get of an object holding 10k refs. Baselines: a {@link ConcurrentHashMap} keyed by
 * a counter for put/get, a plain copy of the same array into an off-heap {@link MemorySegment} for the large
 * put, and a completed future of a list of 10k futures (copied) for the refs object.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ObjectBenchmarks {
    static final int LARGE_BYTES = 100 << 20;
    static final int REFS = 10_000;

    Weft weft;
    ObjectRef<Integer> small;
    byte[] large;
    Arena arena;
    MemorySegment offHeap;
    ObjectRef<List<ObjectRef<Integer>>> holder;
    List<ObjectRef<Integer>> heldRefs;
    CompletableFuture<List<CompletableFuture<Integer>>> holderBaseline;
    final ConcurrentHashMap<Long, Object> map = new ConcurrentHashMap<>();
    final AtomicLong ids = new AtomicLong();

    @Setup(Level.Trial)
    public void start() {
        weft = Weft.init();
        small = weft.put(42);
        large = new byte[LARGE_BYTES];
        for (int i = 0; i < large.length; i += 4096) {
            large[i] = (byte) i;
        }
        arena = Arena.ofShared();
        offHeap = arena.allocate(LARGE_BYTES, 64);
        heldRefs = new ArrayList<>(REFS);
        List<CompletableFuture<Integer>> futures = new ArrayList<>(REFS);
        for (int i = 0; i < REFS; i++) {
            heldRefs.add(weft.put(i));
            futures.add(CompletableFuture.completedFuture(i));
        }
        holder = weft.put(heldRefs);
        holderBaseline = CompletableFuture.completedFuture(futures);
        map.put(-1L, 42);
    }

    @TearDown(Level.Trial)
    public void stop() {
        weft.close();
        arena.close();
    }

    @Benchmark
    public String putSmall() {
        try (ObjectRef<Integer> ref = weft.put(7)) {
            return ref.id();
        }
    }

    @Benchmark
    public Object putSmallBaseline() {
        long id = ids.incrementAndGet();
        map.put(id, 7);
        return map.remove(id);
    }

    @Benchmark
    public int getSmall() {
        return small.get();
    }

    @Benchmark
    public Object getSmallBaseline() {
        return map.get(-1L);
    }

    @Benchmark
    public String put100MiB() {
        try (ObjectRef<byte[]> ref = weft.put(large)) {
            return ref.id();
        }
    }

    @Benchmark
    public byte put100MiBBaseline() {
        MemorySegment.copy(large, 0, offHeap, ValueLayout.JAVA_BYTE, 0, LARGE_BYTES);
        return offHeap.get(ValueLayout.JAVA_BYTE, LARGE_BYTES - 4096);
    }

    @Benchmark
    public int get10kRefs() {
        return holder.get().size();
    }

    @Benchmark
    public int get10kRefsBaseline() {
        return new ArrayList<>(holderBaseline.join()).size();
    }
}
