package dev.weft.connectors;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.data.Agg;
import dev.weft.data.DataContext;
import dev.weft.data.Dataset;
import dev.weft.data.DatasetStats;
import dev.weft.data.Datasets;
import dev.weft.data.FormatOptions;
import dev.weft.data.OperatorStats;
import dev.weft.data.Row;
import dev.weft.testing.s3.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connectors behind {@code Datasets.readParquet/readCsv/readJson} and the writes, on the embedded engine. */
class DatasetsEndToEndTest {
    static Weft weft;

    @BeforeAll
    static void start() {
        DataContext.setCurrent(DataContext.builder().progressBars(false).build());
        weft = Weft.init(WeftConfig.builder().address("local").nodes(1, 2).build());
    }

    @AfterAll
    static void stop() {
        weft.close();
    }

    @TempDir
    Path dir;

    /** Four files in two hive partitions; ids 0..39_999 sorted, x = id / 1000.0. */
    Path events() throws Exception {
        for (int f = 0; f < 4; f++) {
            TestFiles.events(dir.resolve("in/day=" + (f / 2 + 1) + "/part-" + f + ".parquet"), f * 10_000L, 10_000,
                    64 << 10, false, true);
        }
        return dir.resolve("in");
    }

    static long sumLong(List<Row> rows, String c) {
        return rows.stream().mapToLong(r -> r.getLong(c)).sum();
    }

    @Test
    void ignoreCorruptFilesFromWithContextSkipsTheFileWhenTheReadRuns() throws Exception {
        TestFiles.events(dir.resolve("c/a.parquet"), 0, 1000, 64 << 10, false, false);
        Files.write(dir.resolve("c/b.parquet"), "not parquet".getBytes());
        Dataset ds = Datasets.readParquet(dir.resolve("c").toString())
                .withContext(DataContext.current().toBuilder().ignoreCorruptFiles(true).build())
                .filter(col("id").lt(500L));
        assertEquals(500, ds.takeAll().size());
        assertEquals(1L, ds.stats().operators().getFirst().counter("corruptFilesSkipped"), ds.stats().toString());
    }

    @Test
    void readFilterSelectWriteAndReadBackWithPushdownInStats() throws Exception {
        Path in = events();
        Dataset ds = Datasets.readParquet(in.toString())
                .filter(col("x").lt(5.0).and(col("day").eq(1L)))
                .select("id", "key", "day");
        List<Row> rows = ds.takeAll();
        assertEquals(5000, rows.size());
        assertEquals(4999L * 5000 / 2, sumLong(rows, "id"));
        assertTrue(rows.stream().allMatch(r -> r.getLong("day") == 1));

        Path out = dir.resolve("out");
        ds.writeParquet(out.toString());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        Dataset back = Datasets.readParquet(out.toString());
        assertEquals(5000, back.count());
        assertEquals(4999L * 5000 / 2, sumLong(back.takeAll(), "id"));

        DatasetStats stats = ds.stats();
        OperatorStats read = stats.operators().stream().filter(o -> o.name().contains("Parquet")).findFirst()
                .orElseThrow(() -> new AssertionError("no Parquet operator in " + stats));
        assertTrue(read.counter("rowGroupsSkipped") > 0, stats.toString());
        assertTrue(read.counter("bytesRead") > 0, stats.toString());
    }

    @Test
    void aggregatesReadOnlyTheColumnsTheyUse() throws Exception {
        Path in = events();
        Dataset grouped = Datasets.readParquet(in.toString())
                .withColumn("y", col("x").times(2))
                .withColumn("unused", col("s").upper())
                .filter(col("n").lt(50L))
                .groupBy("key").aggregate(Agg.count().as("c"), Agg.sum("y").as("sy"));
        String plan = grouped.explain();
        assertTrue(plan.contains("columns=[key, x, n]"), plan);
        assertFalse(plan.contains("unused"), plan);

        Map<Long, long[]> counts = new HashMap<>();
        Map<Long, Double> sums = new HashMap<>();
        for (long id = 0; id < 40_000; id++) {
            if (id % 100 < 50) {
                Long key = id % 9 == 4 ? null : id % 10;
                counts.computeIfAbsent(key, k -> new long[1])[0]++;
                sums.merge(key, id / 1000.0 * 2, Double::sum);
            }
        }
        for (boolean fused : new boolean[] {true, false}) {
            List<Row> rows = grouped.withContext(DataContext.current().toBuilder().partialAggregation(fused).build())
                    .takeAll();
            assertEquals(counts.size(), rows.size(), "groups, fused=" + fused);
            for (Row r : rows) {
                Long key = r.isNull("key") ? null : r.getLong("key");
                assertEquals(counts.get(key)[0], r.getLong("c"), "count of " + key + ", fused=" + fused);
                assertEquals(sums.get(key), r.getDouble("sy"), 1e-6, "sum of " + key + ", fused=" + fused);
            }
        }

        Dataset countOnly = Datasets.readParquet(in.toString()).aggregate(Agg.count().as("c"));
        assertTrue(countOnly.explain().contains("columns=[id]"), countOnly.explain());
        assertEquals(40_000L, countOnly.takeAll().getFirst().getLong("c"));

        Dataset renamed = Datasets.readParquet(in.toString()).rename("x", "z").select("z").filter(col("z").ge(39.0));
        assertTrue(renamed.explain().contains("columns=[x]"), renamed.explain());
        assertEquals(1000, renamed.takeAll().size());
    }

    @Test
    void countComesFromFootersAndCsvJsonRoundTrip() throws Exception {
        Path in = events();
        assertEquals(40_000, Datasets.readParquet(in.toString()).count());
        Dataset small = Datasets.readParquet(in.toString()).filter(col("id").lt(100L)).select("id", "s", "x");
        small.writeCsv(dir.resolve("csv").toString());
        small.writeJson(dir.resolve("json").toString());
        List<Row> fromCsv = Datasets.readCsv(dir.resolve("csv").toString()).takeAll();
        List<Row> fromJson = Datasets.readJson(dir.resolve("json").toString()).takeAll();
        assertEquals(100, fromCsv.size());
        assertEquals(100, fromJson.size());
        assertEquals(99L * 100 / 2, sumLong(fromCsv, "id"));
        assertEquals(99L * 100 / 2, sumLong(fromJson, "id"));
        assertEquals(fromCsv.stream().mapToDouble(r -> r.getDouble("x")).sum(),
                fromJson.stream().mapToDouble(r -> r.getDouble("x")).sum(), 1e-9);
    }

    @Test
    void aFailedWriteLeavesTheTargetAsItWas() throws Exception {
        Path in = events();
        Path out = dir.resolve("out");
        Datasets.readParquet(in.toString()).limit(10).writeParquet(out.toString());
        List<String> before = listing(out);
        Dataset failing = Datasets.readParquet(in.toString()).map(r -> {
            if (r.getLong("id") == 25_000) {
                throw new IllegalStateException("boom at id 25000");
            }
            return r;
        });
        assertThrows(RuntimeException.class, () -> failing.write("parquet", out.toString(),
                FormatOptions.builder().option("mode", "overwrite").build()));
        assertEquals(before, listing(out));
        try (var s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains("weft-staging")),
                    "the staging directory is removed on abort");
        }
        Path fresh = dir.resolve("fresh");
        assertThrows(RuntimeException.class, () -> failing.writeParquet(fresh.toString()));
        assertFalse(Files.exists(fresh), "a failed write into a new directory creates nothing");
    }

    static List<String> listing(Path p) throws Exception {
        try (var s = Files.walk(p)) {
            return s.map(x -> p.relativize(x) + ":" + x.toFile().length()).sorted().toList();
        }
    }

    @Test
    void readsAndWritesS3ThroughS3a() throws Exception {
        try (S3Server s3 = S3Server.start("bucket")) {
            Map<String, String> conf = s3.hadoopConfiguration();
            FormatOptions.Builder ob = FormatOptions.builder();
            conf.forEach(ob::option);
            FormatOptions opts = ob.build();
            Path in = events();
            String target = s3.uri("bucket", "events").toString();
            Datasets.read("parquet", List.of(in.toString()), FormatOptions.NONE).write("parquet", target, opts);
            Dataset fromS3 = Datasets.read("parquet", List.of(target), opts);
            assertEquals(40_000, fromS3.count());
            List<Row> some = fromS3.filter(col("id").ge(39_990L)).select("id", "day").takeAll();
            assertEquals(10, some.size());
            assertTrue(some.stream().allMatch(r -> r.getLong("day") == 2));
            assertEquals(40_000, Datasets.read("parquet", List.of(target + "/*.parquet"), opts).count());
            // Hive partitions and globs on the object store.
            org.apache.hadoop.conf.Configuration hc = new org.apache.hadoop.conf.Configuration();
            conf.forEach(hc::set);
            org.apache.hadoop.fs.Path s3in = new org.apache.hadoop.fs.Path(s3.uri("bucket", "in").toString());
            try (org.apache.hadoop.fs.FileSystem fs = s3in.getFileSystem(hc)) {
                try (var files = Files.walk(in)) {
                    for (Path local : files.filter(Files::isRegularFile).toList()) {
                        try (var out = fs.create(new org.apache.hadoop.fs.Path(s3in, in.relativize(local).toString()))) {
                            Files.copy(local, out);
                        }
                    }
                }
                Dataset glob = Datasets.read("parquet", List.of(s3in + "/day=2/*.parquet"), opts);
                List<Row> rows = glob.select("id", "day").takeAll();
                assertEquals(20_000, rows.size());
                assertTrue(rows.stream().allMatch(r -> r.getLong("day") == 2 && r.getLong("id") >= 20_000));
            }
        }
    }
}
