package dev.weft.data;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.data.internal.arrow.DataAllocators;
import dev.weft.data.internal.optimizer.MapFuseRule;
import dev.weft.data.internal.plan.LogicalOp;
import dev.weft.data.internal.plan.PhysicalPlanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push-down and fusion, proven by the golden physical plans {@code explain()} prints. No runtime needed. */
class PlanExplainTest {
    @TempDir
    Path dir;

    @AfterEach
    void noLeaks() {
        WeftCluster.assertNoLeaks();
    }

    /** Writes {@code files} Arrow files of 100 rows each (id, key, x) named by their id range. */
    static void writeFiles(Path dir, int files, int rows) throws IOException {
        for (int f = 0; f < files; f++) {
            long min = (long) f * rows;
            Path p = dir.resolve("part-" + min + "-" + (min + rows - 1) + ".arrow");
            try (VectorSchemaRoot root = VectorSchemaRoot.create(new org.apache.arrow.vector.types.pojo.Schema(List.of(
                    org.apache.arrow.vector.types.pojo.Field.nullable("id", new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true)),
                    org.apache.arrow.vector.types.pojo.Field.nullable("key", org.apache.arrow.vector.types.pojo.ArrowType.Utf8.INSTANCE),
                    org.apache.arrow.vector.types.pojo.Field.nullable("x", new org.apache.arrow.vector.types.pojo.ArrowType.FloatingPoint(
                            org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE)))), DataAllocators.root());
                 var ch = Files.newByteChannel(p, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                 ArrowFileWriter w = new ArrowFileWriter(root, null, ch)) {
                root.allocateNew();
                BigIntVector id = (BigIntVector) root.getVector("id");
                VarCharVector key = (VarCharVector) root.getVector("key");
                Float8Vector x = (Float8Vector) root.getVector("x");
                for (int i = 0; i < rows; i++) {
                    long v = min + i;
                    id.setSafe(i, v);
                    key.setSafe(i, ("k" + (v % 7)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    x.setSafe(i, (v % 100) / 100.0);
                }
                root.setRowCount(rows);
                w.start();
                w.writeBatch();
                w.end();
            }
        }
    }

    @Test
    void filterAndProjectFuseIntoTheRead() {
        String plan = Datasets.range(100).filter(col("id").lt(10L)).select("id").explain();
        assertEquals("Read[Range(n=100)] -> Filter[(id < 10)] -> Project[id]\n", plan);
    }

    @Test
    void limitIsPushedIntoTheReadAndCutsEachTask() {
        String plan = Datasets.range(100).select("id").limit(5).explain();
        assertEquals("""
                TaskPoolMap: Project[id]
                  Limit[5]
                    Read[Range(n=100, limit=5)] -> Limit[5]
                """, plan);
    }

    @Test
    void filterAndProjectionArePushedIntoTheFileSource() throws IOException {
        writeFiles(dir, 2, 100);
        Dataset ds = Datasets.from(new ArrowFilesSource(dir.toString(), null, null))
                .filter(col("x").lt(0.5)).filter(col("id").ge(10L)).select("id");
        assertEquals("Read[ArrowFiles(dir=" + dir.getFileName() + ", columns=[id, x], filter=((x < 0.5) and (id >= 10)))]"
                + " -> Filter[((x < 0.5) and (id >= 10))] -> Project[id]\n", ds.explain());
    }

    @Test
    void theIssueExamplePlansAsReadThenOneActorOperator() {
        Dataset ds = Datasets.from(new ArrowFilesSource(dir.toString(), null, null))
                .filter(col("x").lt(0.5))
                .mapBatches(DatasetOperationsTest.Scorer::new, MapBatches.actors(2, 8).batchSize(8192))
                .select("id", "key", "score");
        assertEquals("""
                ActorPoolMap[actors=2..8]: MapBatches[Scorer, batchSize=8192] -> Project[id, key, score]
                  Read[ArrowFiles(dir=%s, filter=(x < 0.5))] -> Filter[(x < 0.5)]
                """.formatted(dir.getFileName()), ds.explain());
    }

    @Test
    void taskMapsFuseIntoTheReadAndAfterAnActorPoolIntoTheActors() {
        Dataset ds = Datasets.range(10).map(r -> r).mapBatches(DatasetOperationsTest.Scorer::new, MapBatches.actors(1, 2))
                .withColumn("y", col("score").times(2));
        assertEquals("""
                ActorPoolMap[actors=1..2]: MapBatches[Scorer, batchSize=4096] -> WithColumn[y=(score * 2)]
                  Read[Range(n=10)] -> Map[PlanExplainTest.lambda]
                """, ds.explain());
    }

    @Test
    void operatorsWithOwnResourcesAreNotFused() {
        Dataset ds = Datasets.range(10).mapBatches(b -> b, MapBatches.tasks().numCpus(2).concurrency(3)).drop("id");
        assertEquals("""
                TaskPoolMap[concurrency=3, numCpus=2.0]: MapBatches[PlanExplainTest.lambda, batchSize=4096] -> Drop[id]
                  Read[Range(n=10)]
                """, ds.explain());
    }

    @Test
    void writeRunsInTheProducingTasksAndFusionCanBeTurnedOff() {
        LogicalOp plan = new LogicalOp.Write(new LogicalOp.Filter(new LogicalOp.Read(
                new dev.weft.data.internal.source.RangeDatasource(10, -1)), col("id").gt(3L)),
                new ArrowFilesSink(dir.resolve("out").toString(), -1));
        assertEquals("Read[Range(n=10)] -> Filter[(id > 3)] -> Write[ArrowFiles(dir=out)]\n",
                PhysicalPlanner.explain(PhysicalPlanner.plan(plan)));
        String unfused = PhysicalPlanner.explain(PhysicalPlanner.plan(plan,
                MapFuseRule.Config.DEFAULT.withIntoRead(false).toRule()));
        assertEquals("""
                TaskPoolMap: Filter[(id > 3)] -> Write[ArrowFiles(dir=out)]
                  Read[Range(n=10)]
                """, unfused);
    }
}
