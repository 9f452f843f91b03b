package dev.weft.engine.internal.objects;

import dev.weft.api.Weft;
import dev.weft.engine.internal.runtime.LocalRuntime;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Task functions and checks shared by the object store integration tests. */
final class StoreFns {
    /** Runs of {@link #counted} by key, to see lineage re-runs. */
    static final ConcurrentHashMap<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    private StoreFns() {
    }

    static LocalRuntime runtime(Weft weft) {
        return (LocalRuntime) weft.runtime();
    }

    static long[] longs(int seed, int count) {
        long[] a = new long[count];
        for (int i = 0; i < count; i++) {
            a[i] = seed * 1_000_003L + i * 31L;
        }
        return a;
    }

    static boolean isLongs(long[] a, int seed, int count) {
        if (a.length != count) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (a[i] != seed * 1_000_003L + i * 31L) {
                return false;
            }
        }
        return true;
    }

    /** {@link #longs} that counts its runs under {@code key}. */
    static long[] counted(String key, int seed, int count) {
        RUNS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        return longs(seed, count);
    }

    static int runs(String key) {
        AtomicInteger n = RUNS.get(key);
        return n == null ? 0 : n.get();
    }

    /** A one-column batch of {@code rows} longs, seeded; from its own allocator, which it closes with the root. */
    static VectorSchemaRoot batch(int seed, int rows) {
        BufferAllocator allocator = new RootAllocator();
        BigIntVector v = new BigIntVector("v", allocator);
        v.allocateNew(rows);
        for (int i = 0; i < rows; i++) {
            v.set(i, seed * 7L + i);
        }
        v.setValueCount(rows);
        return new VectorSchemaRoot(java.util.List.of(v.getField()), java.util.List.of(v), rows) {
            @Override
            public void close() {
                super.close();
                allocator.close();
            }
        };
    }

    static boolean isBatch(VectorSchemaRoot root, int seed, int rows) {
        if (root.getRowCount() != rows) {
            return false;
        }
        BigIntVector v = (BigIntVector) root.getVector(0);
        for (int i = 0; i < rows; i++) {
            if (v.get(i) != seed * 7L + i) {
                return false;
            }
        }
        return true;
    }

    /** Sums a batch argument (which the engine closes after the call). */
    static long sumBatch(VectorSchemaRoot root) {
        BigIntVector v = (BigIntVector) root.getVector(0);
        long s = 0;
        for (int i = 0; i < root.getRowCount(); i++) {
            s += v.get(i);
        }
        return s;
    }

    static long first(long[] a) {
        return a[0];
    }

    static Object identityObject(Object value) {
        return value;
    }
}
