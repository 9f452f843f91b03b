package dev.weft.examples;

import dev.weft.data.BatchFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import java.util.List;

/**
 * The demo's synthetic data: row {@code id} has a key and four features that are a pure function of the id
 * (a SplitMix64 hash), so any row can be regenerated, a training sample drawn anywhere, and results checked.
 * Column-at-a-time over Arrow vectors: {@code (id) -> (id, key, f0, f1, f2, f3)}.
 */
final class Features implements BatchFunction {
    static final int FEATURES = 4;
    static final long KEYS = 1_000;
    static final List<String> FEATURE_COLUMNS = List.of("f0", "f1", "f2", "f3");

    static long mix(long z) {
        z = (z + 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Feature {@code j} of row {@code id}, uniform in [0, 1). */
    static double feature(long id, int j) {
        return (mix(id * 8 + j) >>> 11) * 0x1.0p-53;
    }

    static long key(long id) {
        return Math.floorMod(mix(~id), KEYS);
    }

    /** The ground truth the model learns: a non-linear boundary, with label noise from the hash. */
    static float label(long id) {
        double s = Math.sin(6 * feature(id, 0)) + feature(id, 1) * feature(id, 1) - 0.5 * feature(id, 2)
                + 0.2 * feature(id, 3) + 0.3 * (feature(id, 7) - 0.5);
        return s > 0.45 ? 1f : 0f;
    }

    @Override
    public VectorSchemaRoot apply(VectorSchemaRoot batch) {
        BigIntVector ids = (BigIntVector) batch.getVector("id");
        int rows = batch.getRowCount();
        BufferAllocator allocator = BatchFunction.allocator(batch);
        BigIntVector id = new BigIntVector("id", allocator);
        BigIntVector key = new BigIntVector("key", allocator);
        Float8Vector[] f = new Float8Vector[FEATURES];
        id.allocateNew(rows);
        key.allocateNew(rows);
        for (int j = 0; j < FEATURES; j++) {
            f[j] = new Float8Vector(FEATURE_COLUMNS.get(j), allocator);
            f[j].allocateNew(rows);
        }
        for (int i = 0; i < rows; i++) {
            long v = ids.get(i);
            id.set(i, v);
            key.set(i, key(v));
        }
        for (int j = 0; j < FEATURES; j++) {
            Float8Vector col = f[j];
            for (int i = 0; i < rows; i++) {
                col.set(i, feature(ids.get(i), j));
            }
        }
        List<FieldVector> out = new java.util.ArrayList<>(List.of(id, key));
        out.addAll(List.of(f));
        out.forEach(v -> v.setValueCount(rows));
        return new VectorSchemaRoot(out);
    }
}
