package dev.weft.bench.macro;

import static dev.weft.data.Expr.col;

import dev.weft.data.Agg;
import dev.weft.data.BatchFunction;
import dev.weft.data.CloseableIterator;
import dev.weft.data.Dataset;
import dev.weft.data.Datasets;
import dev.weft.data.JoinType;
import dev.weft.data.MapBatches;
import dev.weft.data.Row;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import dev.weft.sql.WeftCatalog;
import dev.weft.sql.WeftSql;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The macro workloads written with Weft's {@code Dataset} API. The engine does the reading, projection,
 * filtering, expressions, aggregates, sorts, group-bys, joins and shuffles; W1 and W2 end in a global
 * {@code aggregate} (as Spark's side ends in {@code agg}), and so does W5 after its join; W7 streams every row of
 * its shuffle to the caller, which folds the batches from {@code iterBatches}, and W3's sorted output is verified
 * by the runner from disk.
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
        Row r = one(Datasets.readParquet(data.resolve("events").toString())
                .select("key", "x")
                .filter(col("x").lt(0.5))
                .aggregate(Agg.count().as("count"), Agg.sum("x").as("sum_x")));
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("count", r == null ? 0L : r.getLong("count"));
        checks.put("sum_x", r == null ? 0.0 : r.getDouble("sum_x"));
        return checks;
    }

    /** The single row of a global aggregate, or null when its input had no rows. */
    private static Row one(Dataset aggregate) {
        java.util.List<Row> rows = aggregate.takeAll();
        return rows.isEmpty() ? null : rows.getFirst();
    }

    /** W3: global sort of sortin by k, written as Parquet; the runner verifies the files it wrote. */
    static Map<String, Object> w3(Path data, Path out) {
        Datasets.readParquet(data.resolve("sortin").toString())
                .sort("k")
                .writeParquet(out.toString());
        return new LinkedHashMap<>();
    }

    /**
     * W4 / W4M: group by key with count, sum(x), mean(x); every group is streamed back to the caller, which sums
     * the per-group values for the checks (as Spark's side does over {@code collectAsList}).
     */
    static Map<String, Object> groupBy(Path dir) {
        Dataset ds = Datasets.readParquet(dir.toString())
                .select("key", "x")
                .groupBy("key")
                .aggregate(Agg.count().as("c"), Agg.sum("x").as("sx"), Agg.mean("x").as("mx"));
        long groups = 0;
        long sumCount = 0;
        double sumSum = 0;
        double sumMean = 0;
        try (CloseableIterator<VectorSchemaRoot> it = ds.iterBatches()) {
            while (it.hasNext()) {
                VectorSchemaRoot b = it.next();
                int n = b.getRowCount();
                groups += n;
                BigIntVector c = (BigIntVector) b.getVector("c");
                Float8Vector sx = (Float8Vector) b.getVector("sx");
                Float8Vector mx = (Float8Vector) b.getVector("mx");
                for (int i = 0; i < n; i++) {
                    sumCount += c.get(i);
                    sumSum += sx.get(i);
                    sumMean += mx.get(i);
                }
            }
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("groups", groups);
        checks.put("sum_count", sumCount);
        checks.put("sum_sum_x", sumSum);
        checks.put("sum_mean_x", sumMean);
        return checks;
    }

    /** W5: events with key < 10000 inner join dim on key, dim broadcast; count and sum(weight * x). */
    /** W6: its SQL text through Weft SQL (Calcite planning into a dataset plan) over the events files. */
    static Map<String, Object> w6(Path data) {
        WeftCatalog catalog = WeftCatalog.create().registerParquet("events", data.resolve("events").toString());
        List<List<Object>> table = new ArrayList<>();
        for (Row r : WeftSql.query(catalog, W6_SQL).takeAll()) {
            table.add(List.of(((Number) r.get("b")).longValue(), ((Number) r.get("EXPR$1")).longValue(),
                    ((Number) r.get("EXPR$2")).doubleValue(), ((Number) r.get("EXPR$3")).doubleValue(), r.get("EXPR$4")));
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("rows", (long) table.size());
        checks.put("table", table);
        return checks;
    }

    static final String W6_SQL = "SELECT key % 100 AS b, COUNT(*), SUM(x), AVG(x), MAX(s) FROM events WHERE x > 0.1 "
            + "GROUP BY key % 100 ORDER BY b";

    static Map<String, Object> w5(Path data) {
        Dataset facts = Datasets.readParquet(data.resolve("events").toString())
                .select("key", "x")
                .filter(col("key").lt(10000L));
        Dataset dim = Datasets.readParquet(data.resolve("dim").toString()).select("key", "weight");
        Row r = one(facts.join(dim, "key", JoinType.INNER, true)
                .withColumn("wx", col("weight").times(col("x")))
                .aggregate(Agg.count().as("count"), Agg.sum("wx").as("sum_weight_x")));
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("count", r == null ? 0L : r.getLong("count"));
        checks.put("sum_weight_x", r == null ? 0.0 : r.getDouble("sum_weight_x"));
        return checks;
    }

    /**
     * W7: every column of events through a full random shuffle into 64 partitions ({@code repartition(64)}, as
     * Spark's {@code repartition(64)}), then every column consumed by the caller.
     */
    static Map<String, Object> w7(Path data) {
        Dataset ds = Datasets.readParquet(data.resolve("events").toString()).repartition(64);
        long count = 0;
        long sumId = 0;
        long sumKey = 0;
        double sumX = 0;
        byte[] maxS = null;
        long maxTs = Long.MIN_VALUE;
        try (CloseableIterator<VectorSchemaRoot> it = ds.iterBatches()) {
            while (it.hasNext()) {
                VectorSchemaRoot b = it.next();
                int n = b.getRowCount();
                count += n;
                ArrowBuf id = b.getVector("id").getDataBuffer();
                ArrowBuf key = b.getVector("key").getDataBuffer();
                ArrowBuf ts = b.getVector("ts").getDataBuffer();
                for (int i = 0; i < n; i++) {
                    long off = (long) i * 8;
                    sumId += id.getLong(off);
                    sumKey += key.getLong(off);
                    maxTs = Math.max(maxTs, ts.getLong(off));
                }
                sumX += sum((Float8Vector) b.getVector("x"));
                maxS = max((VarCharVector) b.getVector("s"), maxS);
            }
        }
        return allColumnChecks(count, sumId, sumKey, sumX, maxS, maxTs);
    }

    /** The check values of W7 and DEC: every column of events folded into one row. */
    static Map<String, Object> allColumnChecks(long count, long sumId, long sumKey, double sumX, byte[] maxS,
                                               long maxTs) {
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("count", count);
        checks.put("sum_id", sumId);
        checks.put("sum_key", sumKey);
        checks.put("sum_x", sumX);
        checks.put("max_s", maxS == null ? null : new String(maxS, StandardCharsets.UTF_8));
        checks.put("max_ts", maxTs);
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
        Row r = one(ds.aggregate(Agg.count().as("count"), Agg.sum("y").as("sum_y"), Agg.max("us").as("max_upper_s")));
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("count", r == null ? 0L : r.getLong("count"));
        checks.put("sum_y", r == null ? 0.0 : r.getDouble("sum_y"));
        checks.put("max_upper_s", r == null ? null : r.getString("max_upper_s"));
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
    static byte[] max(VarCharVector v, byte[] current) {
        int n = v.getValueCount();
        if (n == 0) {
            return current;
        }
        MemorySegment data = MemorySegment.ofAddress(v.getDataBuffer().memoryAddress())
                .reinterpret(v.getDataBuffer().capacity());
        MemorySegment offsets = MemorySegment.ofAddress(
                v.getOffsetBuffer().memoryAddress()).reinterpret((long) (n + 1) * 4);
        byte[] best = current;
        int start = offsets.get(INT, 0);
        for (int i = 0; i < n; i++) {
            int end = offsets.get(INT, (long) (i + 1) * 4);
            if (best == null || compare(data, start, end - start, best) > 0) {
                best = new byte[end - start];
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, start, best, 0,
                        best.length);
            }
            start = end;
        }
        return best;
    }

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private static int compare(MemorySegment data, int start, int len, byte[] other) {
        int n = Math.min(len, other.length);
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(data.get(ValueLayout.JAVA_BYTE, start + i) & 0xff, other[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(len, other.length);
    }
}
