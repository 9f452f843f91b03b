package dev.weft.train.examples;

import dev.weft.data.BatchFunction;
import dev.weft.data.Dataset;
import dev.weft.data.Datasets;
import dev.weft.data.MapBatches;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The demo's data (the same ground truth as {@code ./weft demo}): row {@code id} has four features uniform in
 * [0, 1) that are a pure function of the id (a SplitMix64 hash) and a 0/1 label from a non-linear boundary with
 * label noise. Any row can be regenerated, so train and test sets are disjoint id ranges and results are checkable.
 */
public final class DemoData {
    public static final List<String> FEATURES = List.of("f0", "f1", "f2", "f3");
    public static final String LABEL = "label";
    /** Where test rows start: ids the training data never uses. */
    public static final long TEST_OFFSET = 1L << 40;

    private DemoData() {
    }

    static long mix(long z) {
        z = z + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Feature {@code j} of row {@code id}, uniform in [0, 1). */
    public static double feature(long id, int j) {
        return (mix(id * 8 + j) >>> 11) * 0x1.0p-53;
    }

    /** The ground truth: a non-linear boundary, with noise from a feature the model never sees. */
    public static double label(long id) {
        double s = Math.sin(6 * feature(id, 0)) + feature(id, 1) * feature(id, 1) - 0.5 * feature(id, 2)
                + 0.2 * feature(id, 3) + 0.3 * (feature(id, 7) - 0.5);
        return s > 0.45 ? 1 : 0;
    }

    /** {@code rows} rows with ids from {@code firstId}: columns {@code id, f0..f3, label}. */
    public static Dataset rows(long firstId, long rows) {
        return Datasets.range(rows).mapBatches(new Generate(firstId), MapBatches.tasks());
    }

    /** The training set: ids {@code [0, rows)}. */
    public static Dataset train(long rows) {
        return rows(0, rows);
    }

    /** The test set: ids from {@link #TEST_OFFSET}. */
    public static Dataset test(long rows) {
        return rows(TEST_OFFSET, rows);
    }

    /** {@code (id) -> (id, f0, f1, f2, f3, label)}, column at a time. */
    record Generate(long firstId) implements BatchFunction {
        @Override
        public VectorSchemaRoot apply(VectorSchemaRoot batch) {
            BigIntVector in = (BigIntVector) batch.getVector("id");
            int rows = batch.getRowCount();
            BufferAllocator allocator = BatchFunction.allocator(batch);
            BigIntVector id = new BigIntVector("id", allocator);
            id.allocateNew(rows);
            for (int i = 0; i < rows; i++) {
                id.set(i, firstId + in.get(i));
            }
            List<FieldVector> out = new ArrayList<>(List.of(id));
            for (int j = 0; j < FEATURES.size(); j++) {
                Float8Vector f = new Float8Vector(FEATURES.get(j), allocator);
                f.allocateNew(rows);
                for (int i = 0; i < rows; i++) {
                    f.set(i, feature(id.get(i), j));
                }
                out.add(f);
            }
            Float8Vector y = new Float8Vector(LABEL, allocator);
            y.allocateNew(rows);
            for (int i = 0; i < rows; i++) {
                y.set(i, label(id.get(i)));
            }
            out.add(y);
            out.forEach(v -> v.setValueCount(rows));
            return new VectorSchemaRoot(out);
        }
    }
}
