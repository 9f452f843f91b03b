package dev.weft.spark;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * W4 of the benchmarks on Spark on Weft (2 executor actors x 1 core, 1 GiB each) beside Spark {@code local[2]} (driver
 * heap as launched), same files, same JVM, the sessions one after the other, in rounds: per round and engine one
 * warm-up run, then {@code runs} timed runs around the action ({@code collectAsList} of every group). Prints each
 * run with the 1-minute load average, and the medians. Not a test: run by hand (see docs/integrations.md).
 *
 * <p>Arguments: data directory (events are generated there with {@code local[2]} when absent), runs per round
 * (default 5), rounds (default 2), files (default 16), rows per file (default 1,250,000: BENCHMARKS.md's 20 M rows).
 */
public final class SparkOnWeftW4Benchmark {
    private SparkOnWeftW4Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]).toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int files = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        int rowsPerFile = args.length > 4 ? Integer.parseInt(args[4]) : 1_250_000;
        String events = data.resolve("events").toString();
        if (!Files.isDirectory(data.resolve("events"))) {
            SparkSession gen = session("local[2]").getOrCreate();
            try {
                SparkOnWeftExample.writeEvents(gen, events, files, rowsPerFile);
            } finally {
                gen.stop();
            }
        }
        List<Double> local = new ArrayList<>();
        List<Double> weft = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            measure("local[2]", session("local[2]"), events, runs, local);
            measure("weft 2x1", session("weft").config("spark.executor.instances", 2)
                    .config("spark.executor.cores", 1).config("spark.executor.memory", "1g"), events, runs, weft);
        }
        System.out.printf(Locale.ROOT, "W4 median of %d runs: local[2] %.3f s, Spark on Weft 2x1 %.3f s (%.2fx)%n",
                local.size(), median(local), median(weft), median(weft) / median(local));
    }

    private static SparkSession.Builder session(String master) {
        return SparkSession.builder().master(master).appName("w4-" + master)
                .config("spark.ui.enabled", false)
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1");
    }

    private static void measure(String name, SparkSession.Builder builder, String events, int runs, List<Double> times)
            throws Exception {
        SparkSession spark = builder.getOrCreate();
        try {
            List<Row> warm = SparkOnWeftExample.w4(spark, events);
            System.out.printf(Locale.ROOT, "%s warm-up: %,d groups%n", name, warm.size());
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                List<Row> groups = SparkOnWeftExample.w4(spark, events);
                double s = (System.nanoTime() - t0) / 1e9;
                long count = 0;
                for (Row g : groups) {
                    count += g.getLong(1);
                }
                times.add(s);
                System.out.printf(Locale.ROOT, "%s run %d: %.3f s, %,d groups, Σcount %,d, load %.2f%n", name, i + 1, s,
                        groups.size(), count, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        } finally {
            spark.stop();
        }
    }

    private static double median(List<Double> xs) {
        List<Double> sorted = xs.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
