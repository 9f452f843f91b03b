package dev.weft.bench.store;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Shared helpers of the object store benchmarks. */
final class BenchSizes {
    private BenchSizes() {
    }

    /** Parses "1MiB", "100MiB", "1GiB". */
    static long parse(String size) {
        if (size.endsWith("GiB")) {
            return Long.parseLong(size.substring(0, size.length() - 3)) << 30;
        }
        if (size.endsWith("MiB")) {
            return Long.parseLong(size.substring(0, size.length() - 3)) << 20;
        }
        if (size.endsWith("KiB")) {
            return Long.parseLong(size.substring(0, size.length() - 3)) << 10;
        }
        return Long.parseLong(size);
    }

    /** Off-heap memory filled with pseudo-random longs (touched, so no page faults remain). */
    static MemorySegment filled(Arena arena, long size, long seed) {
        MemorySegment s = arena.allocate(size, 64);
        SplittableRandom rng = new SplittableRandom(seed);
        long n = size / 8;
        for (long i = 0; i < n; i++) {
            s.setAtIndex(ValueLayout.JAVA_LONG, i, rng.nextLong());
        }
        return s;
    }

    /** Where spill benchmarks write: {@code -Dweft.bench.dir}, else the temp directory. */
    static Path benchDir() {
        return Path.of(System.getProperty("weft.bench.dir", System.getProperty("java.io.tmpdir")));
    }
}
