package dev.weft.data;

import static dev.weft.data.Expr.col;
import static dev.weft.data.Expr.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every dataset operation on in-memory sources, on the embedded engine. */
class DatasetOperationsTest {
    static Weft weft;

    @BeforeAll
    static void startCluster() {
        weft = WeftCluster.start(2, 2, 0);
    }

    @AfterAll
    static void stopCluster() {
        weft.close();
    }

    @AfterEach
    void noLeaks() {
        WeftCluster.assertNoLeaks();
    }

    static VectorSchemaRoot addScore(VectorSchemaRoot batch) {
        BigIntVector id = (BigIntVector) batch.getVector("id");
        Float8Vector score = new Float8Vector("score", BatchFunction.allocator(batch));
        int n = batch.getRowCount();
        score.allocateNew(n);
        for (int i = 0; i < n; i++) {
            score.set(i, id.get(i) * 0.5);
        }
        score.setValueCount(n);
        return VectorSchemaRoot.of(id, score);
    }

    @Test
    void rangeCountsFromMetadataAndByRunning() {
        assertEquals(100_000, Datasets.range(100_000).count());
        assertEquals(50_000, Datasets.range(100_000).filter(col("id").lt(50_000L)).count());
    }

    @Test
    void filterSelectWithColumnAndAggregates() {
        Dataset ds = Datasets.range(10_000).filter(col("id").mod(2L).eq(0L))
                .withColumn("twice", col("id").times(2L)).select("id", "twice");
        List<Row> rows = ds.takeAll();
        assertEquals(5_000, rows.size());
        long sum = 0;
        for (Row r : rows) {
            assertEquals(r.getLong("id") * 2, r.getLong("twice"));
            sum += r.getLong("id");
        }
        assertEquals(sum, (long) ds.sum("id"));
        assertEquals(0, ds.min("id"));
        assertEquals(9_998, ds.max("id"));
        assertEquals(4_999, ds.mean("id"), 1e-9);
        assertTrue(ds.std("id") > 0);
    }

    @Test
    void mapFlatMapAndRowFilter() {
        List<Row> rows = Datasets.range(100)
                .map(r -> Row.of("id", r.getLong("id"), "name", "n" + r.getLong("id")))
                .flatMap(r -> List.of(r, r.with("id", 1000 + r.getLong("id"))))
                .filter(r -> r.getLong("id") < 1000)
                .takeAll();
        assertEquals(100, rows.size());
        assertEquals("n7", rows.stream().filter(r -> r.getLong("id") == 7).findFirst().orElseThrow().getString("name"));
    }

    @Test
    void mapBatchesOnTasksAndActors() {
        Dataset tasks = Datasets.range(20_000).mapBatches(DatasetOperationsTest::addScore, MapBatches.tasks().batchSize(1000));
        assertEquals(20_000, tasks.count());
        assertEquals(0.5 * (19_999L * 20_000L / 2), tasks.sum("score"), 1e-6);
        Dataset actors = Datasets.range(20_000).mapBatches(Scorer::new, MapBatches.actors(1, 2).batchSize(4096));
        assertEquals(0.5 * (19_999L * 20_000L / 2), actors.sum("score"), 1e-6);
    }

    /** A stateful UDF built once per actor. */
    public static final class Scorer implements BatchFunction {
        private final double factor;

        public Scorer() {
            factor = 0.5;
        }

        @Override
        public VectorSchemaRoot apply(VectorSchemaRoot batch) {
            BigIntVector id = (BigIntVector) batch.getVector("id");
            Float8Vector score = new Float8Vector("score", BatchFunction.allocator(batch));
            int n = batch.getRowCount();
            score.allocateNew(n);
            for (int i = 0; i < n; i++) {
                score.set(i, id.get(i) * factor);
            }
            score.setValueCount(n);
            return VectorSchemaRoot.of(id, score);
        }
    }

    @Test
    void fromItemsRenameDropLimitTakeShow() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            items.add(Map.of("k", i, "s", "v" + i));
        }
        Dataset ds = Datasets.fromItems(items).rename("k", "key").drop("s");
        assertEquals(List.of("key"), ds.schema().getFields().stream().map(f -> f.getName()).toList());
        assertEquals(3, ds.limit(3).takeAll().size());
        assertEquals(4, ds.take(4).size());
        assertEquals(10, ds.count());
        ds.show(2);
    }

    @Test
    void iterBatchesRebatchesExactly() {
        List<Integer> sizes = new ArrayList<>();
        try (CloseableIterator<VectorSchemaRoot> it = Datasets.range(10_000).iterBatches(3_000)) {
            while (it.hasNext()) {
                sizes.add(it.next().getRowCount());
            }
        }
        assertEquals(List.of(3_000, 3_000, 3_000, 1_000), sizes);
    }

    @Test
    void randomSampleIsReproducible() {
        long a = Datasets.range(10_000).randomSample(0.1, 42).count();
        long b = Datasets.range(10_000).randomSample(0.1, 42).count();
        assertEquals(a, b);
        assertTrue(a > 800 && a < 1200, "sampled " + a);
    }

    @Test
    void materializeKeepsBlocksForReuse() {
        Dataset m = Datasets.range(1_000).filter(col("id").ge(500L)).materialize();
        assertEquals(500, m.count());
        assertEquals(500, m.takeAll().size());
        assertEquals(500 * 749.5, m.sum("id"), 1e-9);
    }

    @Test
    void stringExpressions() {
        Dataset ds = Datasets.fromItems(List.of(Map.of("s", "Hello"), Map.of("s", "wörld")))
                .withColumn("u", col("s").upper()).withColumn("n", col("s").length())
                .withColumn("p", col("s").substr(1, 3)).filter(col("u").ne(lit("HELLO")));
        List<Row> rows = ds.takeAll();
        assertEquals(1, rows.size());
        assertEquals("WÖRLD", rows.getFirst().getString("u"));
        assertEquals(5, rows.getFirst().getInt("n"));
        assertEquals("örl", rows.getFirst().getString("p"));
    }

    @Test
    void errorsNameTheOperatorAndColumn() {
        var e = assertThrows(RuntimeException.class, () -> Datasets.range(100).mapBatches(b -> {
            throw new IllegalStateException("boom");
        }).count());
        assertTrue(e.getMessage().contains("MapBatches") && e.getMessage().contains("boom"), e.getMessage());
        var lengths = assertThrows(RuntimeException.class, () -> Datasets.range(100).mapBatches(b -> {
            Float8Vector v = new Float8Vector("bad", BatchFunction.allocator(b));
            v.allocateNew(3);
            v.setValueCount(3);
            return VectorSchemaRoot.of((BigIntVector) b.getVector("id"), v);
        }).count());
        assertTrue(lengths.getMessage().contains("'bad'") && lengths.getMessage().contains("3 values"), lengths.getMessage());
    }

    /** Runs {@code build} and returns what it threw, failing when it threw nothing. */
    static RuntimeException buildFails(org.junit.jupiter.api.function.Executable build) {
        return assertThrows(RuntimeException.class, build);
    }

    static void assertNamesOperationAndColumn(RuntimeException e, String operation, String column, String columns) {
        assertEquals("AnalysisException", e.getClass().getSimpleName(), e.toString());
        assertTrue(e.getMessage().startsWith(operation + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("'" + column + "'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("the input has columns " + columns), e.getMessage());
    }

    @Test
    void unknownColumnsAndWrongTypesFailWhenTheOperationIsAdded() {
        Dataset ds = Datasets.range(100);
        // Before, select(...).count() answered 100 from the source's metadata without looking at the columns.
        assertNamesOperationAndColumn(buildFails(() -> ds.select("id", "nope")), "select[id, nope]", "nope", "[id]");
        assertNamesOperationAndColumn(buildFails(() -> ds.filter(col("nop").lt(5L))), "filter((nop < 5))", "nop",
                "[id]");
        assertNamesOperationAndColumn(buildFails(() -> ds.withColumn("y", col("idd").plus(1L))), "withColumn(y = (idd + 1))",
                "idd", "[id]");
        assertNamesOperationAndColumn(buildFails(() -> ds.groupBy("key").count()), "groupBy[key].aggregate(count())",
                "key", "[id]");
        assertNamesOperationAndColumn(buildFails(() -> ds.aggregate(Agg.sum("x"))), "aggregate(sum(x))", "x", "[id]");
        assertNamesOperationAndColumn(buildFails(() -> ds.sort("x")), "sort[x]", "x", "[id]");
        assertNamesOperationAndColumn(buildFails(() -> ds.drop("x")), "drop[x]", "x", "[id]");
        RuntimeException join = buildFails(() -> ds.join(Datasets.range(10).withColumn("k", col("id")), List.of("id"),
                List.of("key"), JoinType.INNER, false));
        assertTrue(join.getMessage().contains("right key: column 'key' does not exist")
                && join.getMessage().endsWith("[id, k]"), join.getMessage());
        // Types: a string function of a number, a non-boolean predicate, arithmetic on a string.
        assertTrue(buildFails(() -> ds.withColumn("u", col("id").upper())).getMessage()
                .contains("upper needs a string operand"));
        assertTrue(buildFails(() -> ds.filter(col("id").plus(1L))).getMessage().contains("not BOOLEAN"));
        Dataset named = ds.withColumn("s", col("id").cast(DataType.STRING));
        assertTrue(buildFails(() -> named.filter(col("s").lt(3L))).getMessage().contains("cannot compare STRING"));
        // Columns made by an earlier step are known: these build and run.
        assertEquals(10, named.filter(col("id").lt(10L)).select("s").count());
        assertEquals(10, ds.join(Datasets.range(10), "id", JoinType.INNER).select("id").count());
    }

    @Test
    void aColumnMissingAfterMapBatchesFailsOnTheFirstBatchWithTheSameError() {
        long restarts = dev.weft.data.internal.exec.JobAttempts.restarts();
        // mapBatches' output schema is unknown until it runs: the check happens when its first batch arrives.
        Dataset ds = Datasets.range(100).mapBatches(b -> b).filter(col("nop").lt(5L));
        RuntimeException e = assertThrows(RuntimeException.class, ds::count);
        assertNamesOperationAndColumn(e, "filter((nop < 5))", "nop", "[id]");
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        RuntimeException keys = assertThrows(RuntimeException.class,
                () -> Datasets.range(100).mapBatches(b -> b).groupBy("key").count().takeAll());
        assertNamesOperationAndColumn(keys, "groupBy[key].aggregate(count())", "key", "[id]");
        RuntimeException select = assertThrows(RuntimeException.class,
                () -> Datasets.range(100).map(r -> r).select("x").takeAll());
        assertNamesOperationAndColumn(select, "select[x]", "x", "[id]");
        assertEquals(restarts, dev.weft.data.internal.exec.JobAttempts.restarts(), "a plan error is not lost work");
    }

    @Test
    void exchangeKeysMissingFromAnInputOfUnknownSchemaFailNamingTheOperation() {
        // The sort's, group-by's and join's own tasks find the key missing: the error is the plan's, not a task's.
        RuntimeException sort = assertThrows(RuntimeException.class,
                () -> Datasets.range(100).mapBatches(b -> b).sort("key").takeAll());
        assertNamesOperationAndColumn(sort, "sort[key]", "key", "[id]");
        Dataset stored = Datasets.range(100).mapBatches(b -> b).materialize();
        RuntimeException group = assertThrows(RuntimeException.class, () -> stored.groupBy("key").count().takeAll());
        assertNamesOperationAndColumn(group, "groupBy[key].aggregate(count())", "key", "[id]");
        Dataset left = Datasets.range(100).withColumn("k", col("id"));
        for (JoinType how : List.of(JoinType.INNER, JoinType.FULL_OUTER)) {
            RuntimeException join = assertThrows(RuntimeException.class,
                    () -> left.join(Datasets.range(10).mapBatches(b -> b), "k", how).takeAll());
            assertNamesOperationAndColumn(join, "join(left [k] = right [k], " + how + ") right key", "k", "[id]");
        }
    }

    /** Not serializable: a model loaded on the driver, say. */
    static final class DriverOnlyModel {
        double weight = 2;
    }

    @Test
    void functionsCapturingValuesThatCannotShipAreRejectedWhenTheOperationIsAdded() {
        DriverOnlyModel model = new DriverOnlyModel();
        Dataset ds = Datasets.range(10);
        RuntimeException map = buildFails(() -> ds.map(r -> Row.of("y", r.getLong("id") * model.weight)));
        assertEquals("SerializationException", map.getClass().getSimpleName(), map.toString());
        assertTrue(map.getMessage().contains("map function") && map.getMessage().contains(DriverOnlyModel.class.getName())
                && map.getMessage().contains("captured value #0"), map.getMessage());
        RuntimeException filter = buildFails(() -> ds.filter(r -> r.getLong("id") > model.weight));
        assertTrue(filter.getMessage().contains("filter function")
                && filter.getMessage().contains(DriverOnlyModel.class.getName()), filter.getMessage());
        RuntimeException batches = buildFails(() -> ds.mapBatches(b -> model.weight > 1 ? b : b));
        assertTrue(batches.getMessage().contains("mapBatches function"), batches.getMessage());
        double weight = model.weight; // a serializable copy ships
        assertEquals(10, ds.map(r -> Row.of("y", r.getLong("id") * weight)).takeAll().size());
    }

    @Test
    void aFailingTaskIsReportedInOneLineWithTheRemoteTraceKeptApart() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> Datasets.range(100).mapBatches(b -> {
            throw new IllegalStateException("boom");
        }).count());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains("failed in task #0 on node ") && e.getMessage().endsWith(
                "IllegalStateException: boom"), e.getMessage());
        assertEquals(1, e.getMessage().split("input files", -1).length - 1, e.getMessage());
        dev.weft.api.TaskFailedException task = null;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof dev.weft.api.TaskFailedException t) {
                task = t;
            }
        }
        assertTrue(task != null, "no TaskFailedException in the chain of " + e);
        assertEquals(1, task.getMessage().lines().count(), task.getMessage());
        assertTrue(task.getMessage().contains(" on node ") && task.getMessage().endsWith("boom"), task.getMessage());
        assertTrue(task.remoteStackTrace().contains("IllegalStateException: boom"), task.remoteStackTrace());
    }

    @Test
    void statsReportEveryOperator() {
        Dataset ds = Datasets.range(50_000).filter(col("id").lt(10_000L)).mapBatches(Scorer::new, MapBatches.actors(1, 2));
        assertEquals(10_000, ds.count());
        DatasetStats stats = ds.stats();
        assertEquals(2, stats.operators().size(), stats.toString());
        assertEquals(10_000, stats.operators().getLast().rows());
        assertTrue(stats.operators().getFirst().tasks() >= 1);
    }

    @Test
    void fromArrowCopiesTheCallersBatches() {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(new org.apache.arrow.vector.types.pojo.Schema(List.of(
                org.apache.arrow.vector.types.pojo.Field.nullable("v", new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true)))),
                dev.weft.data.internal.arrow.DataAllocators.root())) {
            root.allocateNew();
            BigIntVector v = (BigIntVector) root.getVector("v");
            for (int i = 0; i < 10; i++) {
                v.setSafe(i, i * 10L);
            }
            root.setRowCount(10);
            Dataset ds = Datasets.fromArrow(root, root);
            assertEquals(20, ds.count());
            assertEquals(900, (long) ds.sum("v"));
            assertEquals(List.of(0L, 10L), ds.filter(col("v").lt(20L)).limit(2).takeAll().stream()
                    .map(r -> r.getLong("v")).toList());
        }
    }

    @Test
    void aSmallLimitStopsAHugeReadEarly() {
        Dataset ds = Datasets.range(1_000_000_000L).filter(col("id").mod(3L).eq(0L)).limit(5);
        assertEquals(List.of(0L, 3L, 6L, 9L, 12L), ds.takeAll().stream().map(r -> r.getLong("id")).toList());
        assertTrue(ds.stats().operators().getFirst().rows() < 1_000_000_000L / 3, ds.stats().toString());
    }

    @Test
    void progressBarsStayQuietWithoutATerminal() {
        org.junit.jupiter.api.Assertions.assertFalse(dev.weft.data.internal.exec.ProgressReporter.isTerminal(),
                "tests run without a terminal");
        Dataset ds = Datasets.range(1000).withContext(DataContext.current().toBuilder().progressBars(true).build());
        assertEquals(1000, ds.count());
        assertEquals(500, ds.filter(col("id").lt(500L)).count());
    }
}
