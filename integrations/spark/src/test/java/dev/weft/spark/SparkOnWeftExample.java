package dev.weft.spark;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark on Weft, runnable: a Spark session whose two executors are Weft actors writes generated events as Parquet
 * and runs W4 of the benchmarks on them (group by key into ~100,000 groups: count, sum(x), mean(x); every group
 * collected). Run with the Spark JVM options of {@code docs/integrations.md}; {@code WEFT_ADDRESS} chooses the Weft
 * cluster (default: an embedded one in this JVM).
 */
public final class SparkOnWeftExample {
    /** The columns W4 reads of BENCHMARKS.md's {@code events}: id, key ({@code nextLong(100000)}), x. */
    static final StructType EVENTS = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("key", DataTypes.LongType, false)
            .add("x", DataTypes.DoubleType, false);

    private SparkOnWeftExample() {
    }

    public static void main(String[] args) throws Exception {
        Summary s = run(args.length > 0 ? Integer.parseInt(args[0]) : 250_000);
        System.out.printf("W4 on Spark on Weft: %,d groups, Σcount %,d, Σsum(x) %.6f%n", s.groups(), s.count(), s.sumX());
    }

    /** W4's check values: groups, Σcount, Σsum(x). */
    record Summary(long groups, long count, double sumX) {
    }

    /** Generates 4 files of {@code rowsPerFile} events on Spark on Weft and runs W4 on them. */
    static Summary run(int rowsPerFile) throws IOException {
        Path data = Files.createTempDirectory("weft-spark-example");
        SparkSession spark = SparkSession.builder().master("weft").appName("spark-on-weft-example")
                .config("spark.executor.instances", 2)
                .config("spark.executor.cores", 1)
                .config("spark.executor.memory", "512m")
                .config("spark.sql.shuffle.partitions", 4)
                .config("spark.ui.enabled", false)
                .getOrCreate();
        try {
            String events = data.resolve("events").toString();
            writeEvents(spark, events, 4, rowsPerFile);
            List<Row> groups = w4(spark, events);
            long count = 0;
            double sumX = 0;
            for (Row g : groups) {
                count += g.getLong(1);
                sumX += g.getDouble(2);
            }
            return new Summary(groups.size(), count, sumX);
        } finally {
            spark.stop();
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Writes {@code files} Parquet files of {@code rowsPerFile} events each, generated as BENCHMARKS.md's {@code
     * events}: file f draws from {@code new SplittableRandom(1_000_000 + f)}, per row key then x (the string and
     * timestamp columns, which W4 does not read, are left out). The rows are made by Spark's executors.
     */
    static void writeEvents(SparkSession spark, String path, int files, int rowsPerFile) {
        FlatMapFunction<Long, Row> file = f -> {
            SplittableRandom rng = new SplittableRandom(1_000_000 + f);
            List<Row> rows = new ArrayList<>(rowsPerFile);
            for (int i = 0; i < rowsPerFile; i++) {
                long key = rng.nextLong(100_000);
                double x = rng.nextDouble();
                rows.add(RowFactory.create(f * rowsPerFile + i, key, x));
            }
            return rows.iterator();
        };
        spark.range(0, files, 1, files).as(Encoders.LONG()).flatMap(file, Encoders.row(EVENTS))
                .write().mode("overwrite").parquet(path);
    }

    /** W4: the events grouped by key with count, sum(x) and mean(x); every group collected (in no order). */
    static List<Row> w4(SparkSession spark, String path) {
        return spark.read().parquet(path).groupBy("key")
                .agg(count(lit(1)).as("c"), sum("x").as("sx"), avg("x").as("mx"))
                .collectAsList();
    }
}
