package dev.weft.bench.spark;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.upper;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * The macro workloads of {@code BENCHMARKS.md} written with Spark's DataFrame API, each returning its check values
 * (names as in the workload table). The same definitions are implemented for Weft in {@code dev.weft.bench.macro}.
 */
final class SparkWorkloads {

    private final SparkSession spark;
    private final java.util.Set<String> planLogged = new java.util.HashSet<>();
    private String current = "";

    SparkWorkloads(SparkSession spark) {
        this.spark = spark;
    }

    /** Runs one workload; {@code out} is a fresh directory path for workloads that write. */
    Map<String, Object> run(String workload, String data, String out) {
        current = workload;
        switch (workload) {
            case "W1a": return w1a(data);
            case "W1b": return w1b(data);
            case "W1c": return w1c(data);
            case "W2": return w2(data);
            case "W3": return w3(data, out);
            case "W4": return groupBy(data + "/events");
            case "W4M": return groupBy(data + "/events1m");
            case "W5": return w5(data);
            case "W6": return w6(data);
            case "W7": return w7(data);
            case "DEC": return SparkDecode.decode(data + "/events");
            default: throw new IllegalArgumentException("unknown workload " + workload);
        }
    }

    private Dataset<Row> events(String data) {
        return spark.read().parquet(data + "/events");
    }

    private Map<String, Object> w1a(String data) {
        Dataset<Row> q = events(data)
                .select(col("x").multiply(2).plus(1).as("y"), upper(col("s")).as("us"))
                .agg(count(lit(1)), sum("y"), max("us"));
        return countSumMax(first(q));
    }

    private Map<String, Object> w1b(String data) {
        Dataset<Tuple2<Double, String>> mapped = events(data).select("x", "s").map(
                (MapFunction<Row, Tuple2<Double, String>>) row ->
                        new Tuple2<>(row.getDouble(0) * 2 + 1, row.getString(1).toUpperCase(Locale.ROOT)),
                Encoders.tuple(Encoders.DOUBLE(), Encoders.STRING()));
        Row r = first(mapped.toDF("y", "us").agg(count(lit(1)), sum("y"), max("us")));
        return countSumMax(r);
    }

    private Map<String, Object> w1c(String data) {
        Dataset<Tuple2<Double, String>> mapped = events(data).select("x", "s").mapPartitions(
                (MapPartitionsFunction<Row, Tuple2<Double, String>>) UpperRows::new,
                Encoders.tuple(Encoders.DOUBLE(), Encoders.STRING()));
        Row r = first(mapped.toDF("y", "us").agg(count(lit(1)), sum("y"), max("us")));
        return countSumMax(r);
    }

    /** W1c's per-partition function: a static class, so the closure Spark serializes holds no workload state. */
    private static final class UpperRows implements Iterator<Tuple2<Double, String>> {
        private final Iterator<Row> rows;

        UpperRows(Iterator<Row> rows) {
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public Tuple2<Double, String> next() {
            Row row = rows.next();
            return new Tuple2<>(row.getDouble(0) * 2 + 1, row.getString(1).toUpperCase(Locale.ROOT));
        }
    }

    /** The first row; the first time a workload runs, its physical plan goes to the log (stderr). */
    private Row first(Dataset<Row> q) {
        logPlan(q);
        return q.first();
    }

    private List<Row> collect(Dataset<Row> q) {
        logPlan(q);
        return q.collectAsList();
    }

    private void logPlan(Dataset<Row> q) {
        if (planLogged.add(current)) {
            System.err.println("spark-peer: physical plan of " + current + ":\n" + q.queryExecution().executedPlan());
        }
    }

    private static Map<String, Object> countSumMax(Row r) {
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("count", r.getLong(0));
        checks.put("sum_y", r.getDouble(1));
        checks.put("max_upper_s", r.getString(2));
        return checks;
    }

    private Map<String, Object> w2(String data) {
        Row r = first(events(data).select("key", "x").filter(col("x").lt(0.5))
                .agg(count(lit(1)), sum("x")));
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("count", r.getLong(0));
        checks.put("sum_x", r.getDouble(1));
        return checks;
    }

    private Map<String, Object> w3(String data, String out) {
        spark.read().parquet(data + "/sortin").sort("k").write().parquet(out);
        // The runner reads the output back (outside the timed part) and checks rows, order, min_k and max_k.
        return new LinkedHashMap<>();
    }

    private Map<String, Object> groupBy(String path) {
        List<Row> groups = collect(spark.read().parquet(path).groupBy("key")
                .agg(count(lit(1)).as("c"), sum("x").as("sx"), avg("x").as("mx")));
        long totalCount = 0;
        double totalSum = 0;
        double totalMean = 0;
        for (Row g : groups) {
            totalCount += g.getLong(1);
            totalSum += g.getDouble(2);
            totalMean += g.getDouble(3);
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("groups", (long) groups.size());
        checks.put("sum_count", totalCount);
        checks.put("sum_sum_x", totalSum);
        checks.put("sum_mean_x", totalMean);
        return checks;
    }

    private Map<String, Object> w5(String data) {
        Dataset<Row> facts = events(data).select("key", "x").filter(col("key").lt(10000));
        Dataset<Row> dim = spark.read().parquet(data + "/dim").select("key", "weight");
        Row r = first(facts.join(broadcast(dim), "key")
                .agg(count(lit(1)), sum(col("weight").multiply(col("x")))));
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("count", r.getLong(0));
        checks.put("sum_weight_x", r.getDouble(1));
        return checks;
    }

    private Map<String, Object> w6(String data) {
        events(data).createOrReplaceTempView("events");
        List<Row> rows = collect(spark.sql("SELECT key % 100 AS b, COUNT(*), SUM(x), AVG(x), MAX(s) FROM events "
                + "WHERE x > 0.1 GROUP BY key % 100 ORDER BY b"));
        List<List<Object>> table = new ArrayList<>();
        for (Row r : rows) {
            table.add(List.of(r.getLong(0), r.getLong(1), r.getDouble(2), r.getDouble(3), r.getString(4)));
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("rows", (long) rows.size());
        checks.put("table", table);
        return checks;
    }

    private Map<String, Object> w7(String data) {
        // repartition(n) is Spark's full random (round-robin) shuffle of every column into n partitions.
        Row r = first(events(data).repartition(64)
                .agg(count(lit(1)), sum("id"), sum("key"), sum("x"), max("s"), max("ts")));
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("count", r.getLong(0));
        checks.put("sum_id", r.getLong(1));
        checks.put("sum_key", r.getLong(2));
        checks.put("sum_x", r.getDouble(3));
        checks.put("max_s", r.getString(4));
        checks.put("max_ts", r.getLong(5));
        return checks;
    }
}
