package dev.weft.data;

import dev.weft.api.Weft;
import dev.weft.api.WeftFunc0;
import dev.weft.data.internal.FormatRegistry;
import dev.weft.api.ObjectRef;
import dev.weft.data.internal.exec.Exchange;
import dev.weft.data.internal.exec.OutputBatches;
import dev.weft.data.internal.exec.OwnedBatches;
import dev.weft.data.internal.exec.BatchRows;
import dev.weft.data.internal.exec.JobAttempts;
import dev.weft.data.internal.exec.PlanExecution;
import dev.weft.data.internal.exec.Rebatcher;
import dev.weft.data.internal.exec.RowStage;
import dev.weft.data.internal.ops.RandomizeBlockOrder;
import dev.weft.data.internal.ops.RepartitionBlocks;
import dev.weft.data.internal.ops.ZipBlocks;
import dev.weft.data.internal.plan.BlockTransform;
import dev.weft.data.internal.plan.FunctionCaptures;
import dev.weft.data.internal.plan.LogicalOp;
import dev.weft.data.internal.plan.PhysicalPlanner;
import dev.weft.data.internal.plan.PlanAnalyzer;
import dev.weft.data.internal.plan.SourceBinding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A distributed, lazy, immutable table of rows stored as Arrow blocks in Weft's object store. Transforms
 * return new datasets and run nothing; consumption methods ({@code iterBatches}, {@code take}, {@code count},
 * {@code write...}) optimize the plan and run it on the current Weft runtime ({@link Weft#current()}) with a
 * streaming executor that keeps a bounded number of bytes in flight.
 *
 * <pre>{@code
 * Datasets.readParquet("s3a://bucket/events/")
 *     .filter(col("x").lt(0.5))
 *     .mapBatches(Scorer::new, MapBatches.actors(2, 8).batchSize(8192))
 *     .select("id", "key", "score")
 *     .writeParquet("/data/out/scores");
 * }</pre>
 *
 * Thread-safe: a dataset may be consumed by several threads, each execution is independent.
 * {@link #stats()} reports this dataset's most recent execution.
 */
public final class Dataset {
    private final LogicalOp plan;
    private final DataContext context;
    private final AtomicReference<DatasetStats> lastStats = new AtomicReference<>(DatasetStats.NOT_EXECUTED);

    Dataset(LogicalOp plan, DataContext context) {
        this.plan = plan;
        this.context = context;
    }

    private Dataset then(LogicalOp op) {
        FunctionCaptures.check(op);
        PlanAnalyzer.analyze(op);
        return new Dataset(op, context);
    }

    /** This dataset run with other settings. */
    public Dataset withContext(DataContext newContext) {
        if (newContext == null) {
            throw new IllegalArgumentException("context must not be null");
        }
        return new Dataset(SourceBinding.bind(plan, newContext), newContext);
    }

    public DataContext context() {
        return context;
    }

    // ---- transforms ---------------------------------------------------------------------------------------

    /** One output row per input row. Row functions box every value; prefer expressions or {@link #mapBatches}. */
    public Dataset map(RowFunction fn) {
        return then(new LogicalOp.RowOp(plan, RowStage.Kind.MAP, require(fn, "map function")));
    }

    /** Zero or more output rows per input row. */
    public Dataset flatMap(RowFlatFunction fn) {
        return then(new LogicalOp.RowOp(plan, RowStage.Kind.FLAT_MAP, require(fn, "flatMap function")));
    }

    /** The rows for which {@code predicate} is true (a row function; prefer {@link #filter(Expr)}). */
    public Dataset filter(RowPredicate predicate) {
        return then(new LogicalOp.RowOp(plan, RowStage.Kind.FILTER, require(predicate, "filter predicate")));
    }

    /** The rows for which {@code predicate} is true (not null); evaluated vectorized and pushed into reads. */
    public Dataset filter(Expr predicate) {
        return then(new LogicalOp.Filter(plan, require(predicate, "filter expression")));
    }

    /** A stateless batch function run in tasks with the default options. */
    public Dataset mapBatches(BatchFunction fn) {
        return mapBatches(fn, MapBatches.tasks());
    }

    /** A stateless batch function (a serializable lambda), run as {@code options} say. */
    public Dataset mapBatches(BatchFunction fn, MapBatches options) {
        require(fn, "batch function");
        require(options, "options");
        return then(new LogicalOp.MapBatchesOp(plan, FunctionLabels.of(fn), fn, null, options));
    }

    /**
     * A batch function built by {@code udf} (a constructor reference such as {@code Scorer::new}) once per
     * actor (with {@link MapBatches#actors}) or once per task (with {@link MapBatches#tasks}).
     */
    public Dataset mapBatches(WeftFunc0<? extends BatchFunction> udf, MapBatches options) {
        require(udf, "UDF constructor");
        require(options, "options");
        return then(new LogicalOp.MapBatchesOp(plan, FunctionLabels.of(udf), null, udf, options));
    }

    /** Only these columns, in this order. */
    public Dataset select(String... columns) {
        return then(new LogicalOp.Project(plan, DatasetColumns.select(columns)));
    }

    /** Every column but these. */
    public Dataset drop(String... columns) {
        return then(new LogicalOp.Project(plan, DatasetColumns.drop(columns)));
    }

    /** Columns renamed old name → new name. */
    public Dataset rename(Map<String, String> names) {
        return then(new LogicalOp.Project(plan, DatasetColumns.rename(names)));
    }

    public Dataset rename(String from, String to) {
        return rename(Map.of(from, to));
    }

    /** Every column plus {@code name} = {@code expr} (replacing a column of that name in place). */
    public Dataset withColumn(String name, Expr expr) {
        return then(new LogicalOp.Project(plan, DatasetColumns.withColumn(name, expr)));
    }

    /** The first {@code n} rows (in block order). */
    public Dataset limit(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + n);
        }
        return then(new LogicalOp.Limit(plan, n));
    }

    /** Each row kept with probability {@code fraction}, reproducibly for a given seed and plan. */
    public Dataset randomSample(double fraction, long seed) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in [0, 1], got " + fraction);
        }
        return then(new LogicalOp.Sample(plan, fraction, seed));
    }

    public Dataset randomSample(double fraction) {
        return randomSample(fraction, System.nanoTime());
    }

    // ---- all-to-all operators (barriers through the object store) -----------------------------------------

    /** Groups rows by {@code keys} for {@link GroupedDataset#aggregate}. */
    public GroupedDataset groupBy(String... keys) {
        if (keys == null || keys.length == 0) {
            throw new IllegalArgumentException("groupBy needs at least one key column; use aggregate(...) for a global aggregate");
        }
        return new GroupedDataset(this, List.of(keys));
    }

    /** A one-row dataset with the aggregates over every row (no rows when this dataset is empty). */
    public Dataset aggregate(Agg... aggregates) {
        if (aggregates == null || aggregates.length == 0) {
            throw new IllegalArgumentException("aggregate needs at least one aggregate");
        }
        return exchange(new Exchange.GroupBy(List.of(), Arrays.stream(aggregates).map(Agg::aggregate).toList()));
    }

    /**
     * Globally sorted by {@code key} (sampled range partitioning: blocks in output order are in key order).
     * Nulls sort first ascending and last descending; NaN is greater than every number.
     */
    public Dataset sort(String key, boolean descending) {
        return sort(new String[] {key}, new boolean[] {descending});
    }

    /** Globally sorted by {@code keys} ascending, the first key most significant. */
    public Dataset sort(String... keys) {
        return sort(keys, new boolean[keys.length]);
    }

    /** Globally sorted by {@code keys}, each ascending or descending as {@code descending} says. */
    public Dataset sort(String[] keys, boolean[] descending) {
        return exchange(new Exchange.Sort(DatasetColumns.sortKeys(keys, descending)));
    }

    /**
     * The rows in a random order (a global shuffle). The order is reproducible for the same seed over the same
     * blocks in the same order (e.g. a materialized dataset); a source whose tasks finish in varying order gives
     * its blocks in varying order, hence a different shuffle.
     */
    public Dataset randomShuffle(long seed) {
        return exchange(new Exchange.RandomShuffle(seed, 0, false));
    }

    /**
     * About {@code n} blocks of about equal size through a shuffle: the same as {@code repartition(n, true)}.
     */
    public Dataset repartition(int n) {
        return repartition(n, true);
    }

    /**
     * {@code n} blocks of about equal row counts. With {@code shuffle} every row goes to a random one of {@code n}
     * reducers through an all-to-all exchange (the order changes; a reducer's output above the target block size
     * is still cut into several blocks). Without, there is no exchange: the rows keep their order and adjacent
     * blocks are coalesced or split into exactly {@code n} blocks whose row counts differ by at most one (some
     * empty when there are fewer rows than blocks); only the rows that move between blocks are copied.
     */
    public Dataset repartition(int n, boolean shuffle) {
        if (n < 1) {
            throw new IllegalArgumentException("repartition needs n >= 1, got " + n);
        }
        return shuffle ? exchange(new Exchange.RandomShuffle(0x7ea2L, n, true)) : barrier(new RepartitionBlocks(n));
    }

    /**
     * The same blocks in a random order reproducible for {@code seed} (rows keep their order inside a block).
     * Cheap: no rows move, only the list of blocks is permuted.
     */
    public Dataset randomizeBlockOrder(long seed) {
        return barrier(new RandomizeBlockOrder(seed));
    }

    /**
     * Row {@code i} of this dataset followed by the columns of row {@code i} of {@code other}: both must have the
     * same number of rows and no column name in common (else an {@link IllegalArgumentException} naming both row
     * counts or the common columns, when the zip runs). Output blocks follow this dataset's blocks.
     */
    public Dataset zip(Dataset other) {
        return barrier(new ZipBlocks(require(other, "zip input").plan));
    }

    /**
     * The distinct values of {@code column} (null included once if present), in no particular order; computed
     * by a hash group-by through the object store and returned to the driver, like Ray's {@code unique}.
     */
    public List<Object> unique(String column) {
        return DatasetRuns.unique(this, require(column, "unique column"));
    }

    /** The rows of this dataset followed by those of {@code others} (the schemas must match). */
    public Dataset union(Dataset... others) {
        return DatasetJoins.union(this, others);
    }

    /** Right sides up to this size are broadcast rather than shuffled (when the join type allows it). */
    public static final long BROADCAST_THRESHOLD_BYTES = 32L << 20;

    /**
     * Equi-join with {@code other} on column {@code on} (present on both sides; the output has it once). The
     * right side is broadcast (put once, built once per left block) when it is at most
     * {@link #BROADCAST_THRESHOLD_BYTES} and at most a quarter of the exchange's byte budget (every node holds the
     * whole broadcast side), and the join type is inner, left outer, left semi or left anti; else both sides are
     * shuffled by key hash, and a join task whose share of the build side is larger than its share of the budget
     * builds its hash table a chunk at a time. Right columns whose names clash get the suffix {@code _right}.
     */
    public Dataset join(Dataset other, String on, JoinType how) {
        return join(other, on, how, false);
    }

    /** Like {@link #join(Dataset, String, JoinType)}; {@code broadcast} forces a broadcast of {@code other} where the type allows. */
    public Dataset join(Dataset other, String on, JoinType how, boolean broadcast) {
        return join(other, on, how, broadcast, BROADCAST_THRESHOLD_BYTES);
    }

    Dataset join(Dataset other, String on, JoinType how, boolean broadcast, long broadcastThresholdBytes) {
        List<String> key = List.of(require(on, "join key"));
        return DatasetJoins.join(this, other, key, key, how, broadcast, broadcastThresholdBytes);
    }

    /**
     * Equi-join on several columns with the same names on both sides (each present on both; the output has each
     * once). Otherwise as {@link #join(Dataset, String, JoinType)}.
     */
    public Dataset join(Dataset other, List<String> on, JoinType how) {
        require(on, "join keys");
        return join(other, on, on, how, false);
    }

    /**
     * Equi-join where column {@code leftOn.get(i)} of this dataset equals column {@code rightOn.get(i)} of
     * {@code other} for every {@code i}; a row with a null in any key column matches nothing. A right key column
     * with the same name and type as its left key column is not repeated in the output; other right columns whose
     * names clash get the suffix {@code _right}. {@code broadcast} forces a broadcast of {@code other} where the
     * type allows; otherwise as {@link #join(Dataset, String, JoinType)}.
     */
    public Dataset join(Dataset other, List<String> leftOn, List<String> rightOn, JoinType how, boolean broadcast) {
        return DatasetJoins.join(this, other, leftOn, rightOn, how, broadcast, BROADCAST_THRESHOLD_BYTES);
    }

    Dataset join(Dataset other, List<String> leftOn, List<String> rightOn, JoinType how, boolean broadcast,
                 long broadcastThresholdBytes) {
        return DatasetJoins.join(this, other, leftOn, rightOn, how, broadcast, broadcastThresholdBytes);
    }

    Dataset exchange(Exchange exchange) {
        return then(new LogicalOp.AllToAll(plan, exchange));
    }

    Dataset barrier(BlockTransform transform) {
        return then(new LogicalOp.Barrier(plan, transform));
    }

    // ---- splits (eager, like Ray: the dataset is materialized and its blocks divided) ----------------------

    /**
     * {@code n} datasets over disjoint parts of this one, in order. Runs this dataset ({@link #materialize()}) now.
     * With {@code equal} each gets exactly {@code count() / n} rows (the last {@code count() % n} rows are
     * dropped, as in Ray; blocks cut at a boundary are copied); without, the cuts fall on block boundaries (no
     * copies, every row kept, sizes as even as the blocks allow).
     */
    public List<Dataset> split(int n, boolean equal) {
        return DatasetSplits.split(this, n, equal);
    }

    /**
     * {@code indices.length + 1} datasets: rows {@code [0, indices[0])}, {@code [indices[0], indices[1])}, ...,
     * {@code [indices[last], count())}. Indices must be ascending and {@code >= 0}; those past the end are
     * clamped to it. Runs this dataset now.
     */
    public List<Dataset> splitAt(long... indices) {
        return DatasetSplits.splitAt(this, indices);
    }

    /**
     * {@code fractions.length + 1} datasets, split {@code i} holding {@code fractions[i]} of the rows (rounded
     * down) and the last the rest. Each fraction must be in (0, 1) and their sum below 1. Runs this dataset now.
     */
    public List<Dataset> splitProportionately(double... fractions) {
        return DatasetSplits.splitProportionately(this, fractions);
    }

    /**
     * {@code [train, test]}: the rows shuffled with {@code seed} ({@link #randomShuffle}), then the last
     * {@code floor(count() * testFraction)} rows are the test set and the others the training set.
     */
    public List<Dataset> trainTestSplit(double testFraction, long seed) {
        return DatasetSplits.trainTestSplit(this, testFraction, seed);
    }

    /**
     * {@code n} iterators over disjoint parts of this dataset, fed by one execution that starts now, for
     * consumers that pull concurrently — e.g. one per training actor. Each {@link DataIterator} is a serializable
     * handle (split index + a coordinator actor that hands out block refs; the blocks stay in the object store),
     * so it can be passed to actors and tasks. Blocks go to whichever split asks, so fast consumers get more;
     * with {@code equal} every split gets exactly the same number of rows (up to {@code n - 1} rows dropped,
     * blocks cut where needed), as in Ray. The execution runs on a daemon thread of this process with the
     * coordinator's buffer bounded (about two target-size blocks per split while nobody waits); it stops and
     * the actor is killed once every split has ended or been closed. One pass: call again for another epoch.
     *
     * <p>{@code localityHints} (null, empty, or one node id per split, checked against the cluster's nodes): a
     * consumer asking for a block is given one that lives on its hinted node when the buffer holds one, else the
     * oldest — a hint steers blocks, it never makes a consumer wait (as Ray's locality hints).
     */
    public List<DataIterator> streamingSplit(int n, boolean equal, List<String> localityHints) {
        return DatasetSplits.streamingSplit(this, n, equal, localityHints);
    }

    // ---- plans --------------------------------------------------------------------------------------------

    /** The optimized physical plan, root first, inputs indented (stable text, used by tests). */
    public String explain() {
        return PhysicalPlanner.explain(PhysicalPlanner.plan(plan));
    }

    /** The files the sources of this dataset read (without reading them). */
    public List<String> inputFiles() {
        return DatasetRuns.inputFiles(this);
    }

    /** Statistics of this dataset's most recent execution. */
    public DatasetStats stats() {
        return lastStats.get();
    }

    // ---- consumption ----------------------------------------------------------------------------------

    /**
     * The rows in batches of {@code batchSize} (the last may be smaller), computed while being consumed with
     * blocks prefetched ahead. Each batch belongs to the iterator and stays valid until the next
     * {@code hasNext()}/{@code next()} or {@code close()}; close the iterator (try-with-resources), also when
     * stopping early — that stops the execution. A job that loses intermediate blocks with a node before the first
     * batch was handed out runs again from its sources; after that the failure propagates.
     */
    public CloseableIterator<VectorSchemaRoot> iterBatches(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        // Restarted as a whole (Rebatcher included): a batch it holds back is not the caller's yet.
        return new OwnedBatches(JobAttempts.iterate("iterBatches", () -> new Rebatcher(execute(plan), batchSize,
                dev.weft.data.internal.arrow.DataAllocators.root())));
    }

    /** The rows in whole blocks. */
    public CloseableIterator<VectorSchemaRoot> iterBatches() {
        return new OwnedBatches(JobAttempts.iterate("iterBatches", () -> execute(plan)));
    }

    /** The rows one at a time (boxed; for inspection and small outputs). Close it when stopping early. */
    public CloseableIterator<Row> iterRows() {
        return new BatchRows(iterBatches());
    }

    /** Up to the first {@code n} rows. */
    public List<Row> take(int n) {
        return limit(n).takeAll();
    }

    /** Every row, on the driver. Runs again from the sources when a node went away with intermediate blocks. */
    public List<Row> takeAll() {
        return JobAttempts.run("takeAll", () -> {
            List<Row> rows = new ArrayList<>();
            try (CloseableIterator<Row> it = iterRows()) {
                it.forEachRemaining(rows::add);
            }
            return rows;
        });
    }

    /** Prints up to {@code n} rows to standard output as an aligned table with column names and types. */
    public void show(int n) {
        System.out.print(showString(n));
    }

    /** The table {@link #show(int)} prints. */
    public String showString(int n) {
        return DatasetCleaning.showString(this, DatasetRuns.plannedSchema(plan), n);
    }

    /** The column names, in order. */
    public List<String> columns() {
        return schema().getFields().stream().map(org.apache.arrow.vector.types.pojo.Field::getName).toList();
    }

    /** The distinct rows (every column is part of the key). */
    public Dataset distinct() {
        return dropDuplicates(columns().toArray(String[]::new));
    }

    /** One row per distinct value of {@code columns} (any one of its rows); no columns means all columns. */
    public Dataset dropDuplicates(String... columns) {
        String[] keys = columns.length == 0 ? columns().toArray(String[]::new) : columns;
        return groupBy(keys).mapGroups(batch -> {
            batch.setRowCount(Math.min(1, batch.getRowCount()));
            return batch;
        });
    }

    /** Null cells replaced by {@code value} in every column whose type can hold it (Spark's {@code na.fill}). */
    public Dataset fillNull(Object value) {
        return DatasetCleaning.fillNull(this, value, List.of());
    }

    /** Null cells of {@code columns} replaced by {@code value}. */
    public Dataset fillNull(Object value, String... columns) {
        return DatasetCleaning.fillNull(this, value, List.of(columns));
    }

    /** Rows with a null in any of {@code columns} (any column when none are named) removed. */
    public Dataset dropNulls(String... columns) {
        return DatasetCleaning.dropNulls(this, List.of(columns));
    }

    /**
     * Summary statistics as a small dataset (Spark's {@code describe}): rows count, mean, stddev (sample), min and
     * max, one string column per numeric, string, date or timestamp column (or per named column). Runs the plan.
     */
    public Dataset describe(String... columns) {
        return DatasetCleaning.describe(this, List.of(columns));
    }

    public void show() {
        show(20);
    }

    /** The number of rows: from source metadata when the plan keeps every row, else by running the plan. */
    public long count() {
        return DatasetRuns.count(this);
    }

    /** The schema of the rows: from the plan when the source's schema is known, else from the first block. */
    public Schema schema() {
        return DatasetRuns.schema(this);
    }

    public double sum(String column) {
        return DatasetRuns.aggregate(this, column).sum;
    }

    public double min(String column) {
        return DatasetRuns.aggregate(this, column).requireRows("min").min;
    }

    public double max(String column) {
        return DatasetRuns.aggregate(this, column).requireRows("max").max;
    }

    public double mean(String column) {
        return DatasetRuns.aggregate(this, column).requireRows("mean").mean;
    }

    /** The sample standard deviation (n - 1 in the denominator). */
    public double std(String column) {
        Aggregates a = DatasetRuns.aggregate(this, column).requireRows("std");
        return a.count < 2 ? 0 : Math.sqrt(a.m2 / (a.count - 1));
    }

    /**
     * Runs the plan and keeps every block in the object store; the new dataset reads them. Runs again from the
     * sources when a node went away with intermediate blocks while it ran.
     */
    public Dataset materialize() {
        Dataset d = new Dataset(new LogicalOp.InputBlocks(DatasetRuns.materialize(this)), context);
        d.lastStats.set(lastStats.get());
        return d;
    }

    // ---- sinks ------------------------------------------------------------------------------------------

    public void writeParquet(String path) {
        write("parquet", path, FormatOptions.NONE);
    }

    public void writeCsv(String path) {
        write("csv", path, FormatOptions.NONE);
    }

    public void writeJson(String path) {
        write("json", path, FormatOptions.NONE);
    }

    /** Writes with the connector registered for {@code format}. */
    public void write(String format, String path, FormatOptions options) {
        write(FormatRegistry.sink(format).createSink(path, options));
    }

    /**
     * Writes to {@code sink}, all or nothing: every task stages its files, and {@link Datasink#commit} runs only
     * when every task succeeded; otherwise {@link Datasink#abort} removes what was staged and the error is thrown.
     */
    public void write(Datasink sink) {
        DatasetRuns.write(this, require(sink, "sink"));
    }

    // ---- execution ----------------------------------------------------------------------------------

    LogicalOp plan() {
        return plan;
    }

    void recordStats(DatasetStats stats) {
        lastStats.set(stats);
    }

    OutputBatches execute(LogicalOp root) {
        return execute(root, "job-" + UUID.randomUUID(), Set.of());
    }

    OutputBatches execute(LogicalOp root, String jobId, Set<ObjectRef<?>> kept) {
        return new PlanExecution(context, lastStats::set, resolved -> new Dataset(resolved, context).schema())
                .execute(root, jobId, kept);
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return value;
    }

    @Override
    public String toString() {
        return "Dataset\n" + explain();
    }
}
