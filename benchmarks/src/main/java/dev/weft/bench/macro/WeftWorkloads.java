package dev.weft.bench.macro;

import static dev.weft.data.Expr.col;

import dev.weft.data.BatchFunction;
import dev.weft.data.CloseableIterator;
import dev.weft.data.Dataset;
import dev.weft.data.Datasets;
import dev.weft.data.MapBatches;
import dev.weft.data.Row;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The macro workloads written with Weft's {@code Dataset} API. The engine does the reading, projection, filtering
 * and per-row work; the final reduction to one row (count, sum, max) runs in the caller over the batches the
 * executor streams to {@code iterBatches}, because the API has no global multi-column aggregate yet — a single pass,
 * where calling {@code count()}, {@code sum()} and {@code max()} separately would read the files three times.
 */
final class WeftWorkloads {

    private WeftWorkloads() {
    }

    static Map<String, Object> w1a(Path data) {
        Dataset ds = Datasets.readParquet(data.resolve("events").toString())
                .withColumn("y", col("x").times(2).plus(1))
                .withColumn("us", col("s").upper())
                .select("y", "us");
        return countSumMax(ds);
    }

    static Map<String, Object> w1b(Path data) {
        Dataset ds = Datasets.readParquet(data.resolve("events").toString())
                .select("x", "s")
                .map(row -> Row.of("y", row.getDouble("x") * 2 + 1,
                        "us", row.getString("s").toUpperCase(Locale.ROOT)));
        return countSumMax(ds);
    }

    static Map<String, Object> w1c(Path data) {
        Dataset ds = Datasets.readParquet(data.resolve("events").toString())
                .select("x", "s")
                .mapBatches(new UpperBatches(), MapBatches.tasks());
        return countSumMax(ds);
    }

    static Map<String, Object> w2(Path data) {
        Dataset ds = Datasets.readParquet(data.resolve("events").toString())
                .select("key", "x")
                .filter(col("x").lt(0.5));
        long count = 0;
        double sum = 0;
        try (CloseableIterator<VectorSchemaRoot> it = ds.iterBatches()) {
            while (it.hasNext()) {
                VectorSchemaRoot b = it.next();
                count += b.getRowCount();
                sum += sum((Float8Vector) b.getVector("x"));
            }
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("count", count);
        checks.put("sum_x", sum);
        return checks;
    }

    /** W1c's function: y = x*2+1 and us = upper(s), a batch in and a batch out, on the batch's allocator. */
    static final class UpperBatches implements BatchFunction {
        @Override
        public VectorSchemaRoot apply(VectorSchemaRoot batch) {
            int n = batch.getRowCount();
            Float8Vector x = (Float8Vector) batch.getVector("x");
            VarCharVector s = (VarCharVector) batch.getVector("s");
            BufferAllocator allocator = BatchFunction.allocator(batch);
            Float8Vector y = new Float8Vector("y", allocator);
            VarCharVector us = new VarCharVector("us", allocator);
            y.allocateNew(n);
            us.allocateNew(s.getDataBuffer().writerIndex() > 0 ? s.getDataBuffer().writerIndex() : (long) n * 16, n);
            byte[] scratch = new byte[64];
            for (int i = 0; i < n; i++) {
                y.set(i, x.get(i) * 2 + 1);
                int start = s.getStartOffset(i);
                int len = s.getEndOffset(i) - start;
                if (scratch.length < len) {
                    scratch = new byte[len * 2];
                }
                s.getDataBuffer().getBytes(start, scratch, 0, len);
                for (int j = 0; j < len; j++) {
                    byte c = scratch[j];
                    if (c >= 'a' && c <= 'z') {
                        scratch[j] = (byte) (c - 32);
                    } else if (c < 0) {
                        // Non-ASCII: fall back to the JDK's full Unicode upper-casing for this value.
                        byte[] up = new String(scratch, 0, len, StandardCharsets.UTF_8)
                                .toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
                        scratch = up.length > scratch.length ? up : scratch;
                        System.arraycopy(up, 0, scratch, 0, up.length);
                        len = up.length;
                        break;
                    }
                }
                us.setSafe(i, scratch, 0, len);
            }
            y.setValueCount(n);
            us.setValueCount(n);
            return new VectorSchemaRoot(java.util.List.<FieldVector>of(y, us));
        }
    }

    private static Map<String, Object> countSumMax(Dataset ds) {
        long count = 0;
        double sum = 0;
        byte[] max = null;
        try (CloseableIterator<VectorSchemaRoot> it = ds.iterBatches()) {
            while (it.hasNext()) {
                VectorSchemaRoot b = it.next();
                count += b.getRowCount();
                sum += sum((Float8Vector) b.getVector("y"));
                max = max((VarCharVector) b.getVector("us"), max);
            }
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("count", count);
        checks.put("sum_y", sum);
        checks.put("max_upper_s", max == null ? null : new String(max, StandardCharsets.UTF_8));
        return checks;
    }

    private static double sum(Float8Vector v) {
        ArrowBuf buf = v.getDataBuffer();
        double s = 0;
        for (int i = 0, n = v.getValueCount(); i < n; i++) {
            s += buf.getDouble((long) i * Float8Vector.TYPE_WIDTH);
        }
        return s;
    }

    /** The larger of {@code current} and the vector's largest value, by unsigned bytes (UTF-8 code point order). */
    private static byte[] max(VarCharVector v, byte[] current) {
        ArrowBuf data = v.getDataBuffer();
        int bestIndex = -1;
        byte[] best = current;
        for (int i = 0, n = v.getValueCount(); i < n; i++) {
            int start = v.getStartOffset(i);
            int len = v.getEndOffset(i) - start;
            if (best == null || compare(data, start, len, best) > 0) {
                best = new byte[len];
                data.getBytes(start, best, 0, len);
                bestIndex = i;
            }
        }
        return bestIndex < 0 ? current : best;
    }

    private static int compare(ArrowBuf data, int start, int len, byte[] other) {
        int n = Math.min(len, other.length);
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(data.getByte(start + i) & 0xff, other[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(len, other.length);
    }
}
