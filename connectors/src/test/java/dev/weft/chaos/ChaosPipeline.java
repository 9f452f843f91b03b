package dev.weft.chaos;

import static dev.weft.data.Expr.col;

import dev.weft.data.Agg;
import dev.weft.data.BatchFunction;
import dev.weft.data.CloseableIterator;
import dev.weft.data.DataContext;
import dev.weft.data.Dataset;
import dev.weft.data.Datasets;
import dev.weft.data.JoinType;
import dev.weft.data.MapBatches;
import dev.weft.data.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Builds a case's dataset and consumes it; the result comes back in the oracle's canonical form. */
final class ChaosPipeline {
    private ChaosPipeline() {
    }

    static final String FAULT_MARK = "chaos fault";

    /** {@code w} of a row: the column every map kind computes. */
    static long w(long id, long v) {
        return v * 3 + id % 7;
    }

    static long weight(long k) {
        return k * 13 % 101;
    }

    static int dimKeys(ChaosCase c) {
        return Math.max(1, c.keys() - c.keys() / 4);
    }

    static JoinType joinType(ChaosCase c) {
        return (c.seed() & 1) == 0 ? JoinType.INNER : JoinType.LEFT_OUTER;
    }

    /** The source: Parquet files the case wrote before it started, or the same rows computed by a range. */
    static Dataset source(ChaosCase c, Path parquetDir) {
        Dataset base = c.parquet() ? Datasets.readParquet(parquetDir.toString()) : generated(c);
        DataContext ctx = DataContext.current().toBuilder().readParallelism(c.parallelism()).progressBars(false).build();
        return base.withContext(ctx);
    }

    /** {@code id}, {@code k = id % keys}, {@code v = id * 7919 % 1000}. */
    static Dataset generated(ChaosCase c) {
        return Datasets.range(c.rows())
                .withColumn("k", col("id").mod((long) c.keys()))
                .withColumn("v", col("id").times(7919L).mod(1000L));
    }

    static Dataset build(ChaosCase c, Path parquetDir) {
        Dataset ds = source(c, parquetDir);
        ds = switch (c.map()) {
            case ROW_TASKS -> ds.map(ChaosPipeline::rowW);
            case BATCH_TASKS -> ds.mapBatches(ChaosPipeline::batchW, MapBatches.tasks().batchSize(c.batchSize()));
            case ACTORS -> ds.mapBatches(ActorW::new, MapBatches.actors(c.minActors(), c.maxActors()).batchSize(c.batchSize()));
        };
        if (c.filter()) {
            ds = ds.filter(col("w").mod(4L).ne(0L));
        }
        return switch (c.exchange()) {
            case NONE -> ds.select("id", "w");
            case RANDOM_SHUFFLE -> ds.select("id", "w").randomShuffle(c.seed());
            case SORT -> ds.select("id", "w").sort("w", "id");
            case GROUP_BY -> ds.groupBy("k").aggregate(Agg.count().as("n"), Agg.sum("w").as("s"));
            case JOIN -> {
                Dataset dim = Datasets.range(dimKeys(c)).withContext(ds.context())
                        .withColumn("weight", col("id").times(13L).mod(101L)).rename("id", "k");
                yield ds.select("id", "k").join(dim, "k", joinType(c), c.broadcast()).select("id", "weight");
            }
        };
    }

    static Row rowW(Row r) {
        long id = r.getLong("id");
        ChaosHooks.onCall(new long[] {id}, 1);
        return r.with("w", w(id, r.getLong("v")));
    }

    static VectorSchemaRoot batchW(VectorSchemaRoot b) {
        int n = b.getRowCount();
        BaseIntVector id = (BaseIntVector) b.getVector("id");
        BaseIntVector v = (BaseIntVector) b.getVector("v");
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = id.getValueAsLong(i);
        }
        ChaosHooks.onCall(ids, n);
        BufferAllocator a = BatchFunction.allocator(b);
        BigIntVector w = new BigIntVector("w", a);
        w.allocateNew(n);
        for (int i = 0; i < n; i++) {
            w.set(i, w(ids[i], v.getValueAsLong(i)));
        }
        w.setValueCount(n);
        List<FieldVector> vectors = new ArrayList<>(b.getFieldVectors());
        vectors.add(w);
        return new VectorSchemaRoot(vectors);
    }

    /** The stateful form: a class the actor pool builds once per actor. */
    static final class ActorW implements BatchFunction {
        ActorW() {
            ChaosHooks.onConstruct();
        }

        @Override
        public VectorSchemaRoot apply(VectorSchemaRoot batch) {
            return batchW(batch);
        }
    }

    /**
     * Consumes {@code ds} as the case's sink says; the result in canonical form (see {@link ChaosOracle}). A write is
     * read back after {@code jobDone} has lifted every fault.
     */
    static List<String> consume(ChaosCase c, Dataset ds, Path out, Runnable jobDone) throws Exception {
        return switch (c.sink()) {
            case COUNT -> List.of("count=" + ds.count());
            case TAKE_ALL -> ChaosOracle.canonical(c, rowsOf(ds.takeAll(), c), true);
            case ITER_BATCHES -> {
                List<List<Object>> rows = new ArrayList<>();
                try (CloseableIterator<VectorSchemaRoot> it = ds.iterBatches(1 + (int) (c.seed() % 5000))) {
                    while (it.hasNext()) {
                        VectorSchemaRoot b = it.next();
                        List<String> names = ChaosOracle.columns(c);
                        for (int i = 0; i < b.getRowCount(); i++) {
                            List<Object> row = new ArrayList<>(names.size());
                            for (String name : names) {
                                row.add(b.getVector(name).getObject(i));
                            }
                            rows.add(row);
                        }
                    }
                }
                yield ChaosOracle.canonical(c, rows, true);
            }
            case WRITE_PARQUET -> {
                ds.writeParquet(out.toString());
                jobDone.run(); // the read-back checks the write: no fault may strike it
                if (!Files.isDirectory(out)) {
                    throw new AssertionError("the write returned but " + out + " does not exist");
                }
                // Blocks of at most 512 KiB, so that the read-back fits even the tiniest store of a case.
                DataContext small = ds.context().toBuilder().targetMinBlockSizeBytes(256 << 10)
                        .targetMaxBlockSizeBytes(512 << 10).build();
                Dataset back = Datasets.readParquet(out.toString()).withContext(small);
                yield ChaosOracle.canonical(c, rowsOf(back.takeAll(), c), false);
            }
        };
    }

    private static List<List<Object>> rowsOf(List<Row> rows, ChaosCase c) {
        List<String> names = ChaosOracle.columns(c);
        List<List<Object>> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            List<Object> row = new ArrayList<>(names.size());
            for (String name : names) {
                row.add(r.get(name));
            }
            out.add(row);
        }
        return out;
    }
}
