package dev.weft.bench.macro;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.parquet.io.api.Binary;

/**
 * Plain single-threaded Java on the runner's thread: parquet-mr column readers and {@link HashMap}s, no engine.
 * It is the baseline issue 5 names for {@link Workload#W4M} (a plain Java hash aggregation), and for the other
 * workloads it is a reference implementation whose check values the engines' must match. It does not sort:
 * {@link Workload#W3} output is checked against the input by {@link SortedOutputVerifier} instead.
 */
final class PlainJavaEngine implements Engine {

    @Override
    public String name() {
        return "java";
    }

    @Override
    public Map<String, Object> info() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("engine", "plain Java, 1 thread, parquet-mr column readers + java.util.HashMap");
        info.put("process", "in the runner's JVM");
        info.put("java", System.getProperty("java.version"));
        return info;
    }

    @Override
    public Optional<String> unavailable(Workload workload) {
        return workload == Workload.W3
                ? Optional.of("no plain Java sort; the output is checked against the input instead")
                : Optional.empty();
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public EngineRun run(Workload workload, Path data, Path out) throws IOException {
        long start = System.nanoTime();
        Map<String, Object> details = new LinkedHashMap<>();
        Map<String, Object> checks = switch (workload) {
            case W1a, W1b, W1c -> mapCountSumMax(data.resolve("events"));
            case W2 -> filterCountSum(data.resolve("events"));
            case W4 -> groupBy(data.resolve("events"), details);
            case W4M -> groupBy(data.resolve("events1m"), details);
            case W5 -> broadcastJoin(data);
            case W6 -> sqlBuckets(data.resolve("events"));
            case W7, DEC -> allColumns(data.resolve("events"));
            case W3 -> throw new IllegalStateException("unavailable: " + workload);
        };
        return new EngineRun(System.nanoTime() - start, checks, details);
    }

    private static Map<String, Object> mapCountSumMax(Path dir) throws IOException {
        long[] count = {0};
        double[] sum = {0};
        String[] max = {null};
        for (Path f : ParquetColumnScan.files(dir)) {
            ParquetColumnScan.scan(f, List.of("x", "s"), c -> {
                count[0]++;
                sum[0] += c.getDouble(0) * 2 + 1;
                String us = c.getBinary(1).toStringUsingUTF8().toUpperCase(Locale.ROOT);
                if (max[0] == null || us.compareTo(max[0]) > 0) {
                    max[0] = us;
                }
            });
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("count", count[0]);
        checks.put("sum_y", sum[0]);
        checks.put("max_upper_s", max[0]);
        return checks;
    }

    private static Map<String, Object> filterCountSum(Path dir) throws IOException {
        long[] count = {0};
        double[] sum = {0};
        for (Path f : ParquetColumnScan.files(dir)) {
            ParquetColumnScan.scan(f, List.of("key", "x"), c -> {
                double x = c.getDouble(1);
                if (x < 0.5) {
                    count[0]++;
                    sum[0] += x;
                }
            });
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("count", count[0]);
        checks.put("sum_x", sum[0]);
        return checks;
    }

    /** Count and sum per key; the mean is derived per group when the groups are collected. */
    private static final class Agg {
        long count;
        double sum;
    }

    private static Map<String, Object> groupBy(Path dir, Map<String, Object> details) throws IOException {
        // Two phases, timed apart: decode the two columns into arrays, then aggregate them in a HashMap, so the
        // report shows the hash aggregation's own cost as well as the whole.
        long t0 = System.nanoTime();
        List<long[]> keyChunks = new ArrayList<>();
        List<double[]> xChunks = new ArrayList<>();
        for (Path f : ParquetColumnScan.files(dir)) {
            LongArrayBuilder keys = new LongArrayBuilder();
            DoubleArrayBuilder xs = new DoubleArrayBuilder();
            ParquetColumnScan.scan(f, List.of("key", "x"), c -> {
                keys.add(c.getLong(0));
                xs.add(c.getDouble(1));
            });
            keyChunks.add(keys.toArray());
            xChunks.add(xs.toArray());
        }
        long t1 = System.nanoTime();
        HashMap<Long, Agg> groups = new HashMap<>();
        for (int i = 0; i < keyChunks.size(); i++) {
            long[] keys = keyChunks.get(i);
            double[] xs = xChunks.get(i);
            for (int r = 0; r < keys.length; r++) {
                Agg a = groups.computeIfAbsent(keys[r], key -> new Agg());
                a.count++;
                a.sum += xs[r];
            }
        }
        long sumCount = 0;
        double sumSum = 0;
        double sumMean = 0;
        for (Agg a : groups.values()) {
            sumCount += a.count;
            sumSum += a.sum;
            sumMean += a.sum / a.count;
        }
        long t2 = System.nanoTime();
        details.put("decode_nanos", t1 - t0);
        details.put("aggregate_nanos", t2 - t1);
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("groups", (long) groups.size());
        checks.put("sum_count", sumCount);
        checks.put("sum_sum_x", sumSum);
        checks.put("sum_mean_x", sumMean);
        return checks;
    }

    private static Map<String, Object> broadcastJoin(Path data) throws IOException {
        HashMap<Long, Double> weights = new HashMap<>();
        for (Path f : ParquetColumnScan.files(data.resolve("dim"))) {
            ParquetColumnScan.scan(f, List.of("key", "weight"), c -> weights.put(c.getLong(0), c.getDouble(1)));
        }
        long[] count = {0};
        double[] sum = {0};
        for (Path f : ParquetColumnScan.files(data.resolve("events"))) {
            ParquetColumnScan.scan(f, List.of("key", "x"), c -> {
                long key = c.getLong(0);
                if (key < 10000) {
                    Double w = weights.get(key);
                    if (w != null) {
                        count[0]++;
                        sum[0] += w * c.getDouble(1);
                    }
                }
            });
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("count", count[0]);
        checks.put("sum_weight_x", sum[0]);
        return checks;
    }

    private static Map<String, Object> sqlBuckets(Path dir) throws IOException {
        long[] counts = new long[100];
        double[] sums = new double[100];
        String[] maxS = new String[100];
        for (Path f : ParquetColumnScan.files(dir)) {
            ParquetColumnScan.scan(f, List.of("key", "x", "s"), c -> {
                double x = c.getDouble(1);
                if (x > 0.1) {
                    int b = (int) (c.getLong(0) % 100);
                    counts[b]++;
                    sums[b] += x;
                    String s = c.getBinary(2).toStringUsingUTF8();
                    if (maxS[b] == null || s.compareTo(maxS[b]) > 0) {
                        maxS[b] = s;
                    }
                }
            });
        }
        List<List<Object>> table = new ArrayList<>();
        for (int b = 0; b < 100; b++) {
            if (counts[b] > 0) {
                table.add(List.of((long) b, counts[b], sums[b], sums[b] / counts[b], maxS[b]));
            }
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("rows", (long) table.size());
        checks.put("table", table);
        return checks;
    }

    private static Map<String, Object> allColumns(Path dir) throws IOException {
        long[] longs = new long[4]; // count, sum(id), sum(key), max(ts)
        longs[3] = Long.MIN_VALUE;
        double[] sumX = {0};
        Binary[] maxS = {null};
        for (Path f : ParquetColumnScan.files(dir)) {
            ParquetColumnScan.scan(f, List.of("id", "key", "x", "s", "ts"), c -> {
                longs[0]++;
                longs[1] += c.getLong(0);
                longs[2] += c.getLong(1);
                sumX[0] += c.getDouble(2);
                Binary s = c.getBinary(3);
                if (maxS[0] == null || Binary.lexicographicCompare(s, maxS[0]) > 0) {
                    maxS[0] = s.copy();
                }
                longs[3] = Math.max(longs[3], c.getLong(4));
            });
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("count", longs[0]);
        checks.put("sum_id", longs[1]);
        checks.put("sum_key", longs[2]);
        checks.put("sum_x", sumX[0]);
        checks.put("max_s", maxS[0].toStringUsingUTF8());
        checks.put("max_ts", longs[3]);
        return checks;
    }

    /** A growable primitive array, so the decode phase boxes nothing. */
    private static final class LongArrayBuilder {
        private long[] a = new long[1 << 16];
        private int n;

        void add(long v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }

    private static final class DoubleArrayBuilder {
        private double[] a = new double[1 << 16];
        private int n;

        void add(double v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        double[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }

    @Override
    public void close() {
    }
}
