package dev.weft.data;

import dev.weft.api.ErrorType;
import dev.weft.api.Weft;
import dev.weft.api.WeftException;
import dev.weft.api.WeftFunc0;
import dev.weft.data.internal.FormatRegistry;
import dev.weft.data.internal.arrow.Batches;
import dev.weft.data.internal.arrow.RowBatches;
import dev.weft.api.ObjectRef;
import dev.weft.data.internal.exec.AllToAllOperator;
import dev.weft.data.internal.exec.BlockSource;
import dev.weft.data.internal.exec.BlockRef;
import dev.weft.data.internal.exec.Exchange;
import dev.weft.data.internal.kernels.JoinSpec;
import dev.weft.data.internal.kernels.SortKey;
import dev.weft.data.internal.exec.OutputBatches;
import dev.weft.data.internal.exec.Rebatcher;
import dev.weft.data.internal.exec.RowStage;
import dev.weft.data.internal.exec.StreamingExecutor;
import dev.weft.data.internal.plan.LogicalOp;
import dev.weft.data.internal.plan.PhysicalOp;
import dev.weft.data.internal.plan.PhysicalPlanner;
import dev.weft.data.internal.plan.Projection;
import dev.weft.spi.FunctionNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
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
        return new Dataset(op, context);
    }

    /** This dataset run with other settings. */
    public Dataset withContext(DataContext newContext) {
        if (newContext == null) {
            throw new IllegalArgumentException("context must not be null");
        }
        return new Dataset(plan, newContext);
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
        return then(new LogicalOp.MapBatchesOp(plan, functionName(fn), fn, null, options));
    }

    /**
     * A batch function built by {@code udf} (a constructor reference such as {@code Scorer::new}) once per
     * actor (with {@link MapBatches#actors}) or once per task (with {@link MapBatches#tasks}).
     */
    public Dataset mapBatches(WeftFunc0<? extends BatchFunction> udf, MapBatches options) {
        require(udf, "UDF constructor");
        require(options, "options");
        return then(new LogicalOp.MapBatchesOp(plan, functionName(udf), null, udf, options));
    }

    /** Only these columns, in this order. */
    public Dataset select(String... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("select needs at least one column");
        }
        List<Projection.NamedExpr> items = new ArrayList<>();
        for (String c : columns) {
            items.add(new Projection.NamedExpr(c, Expr.col(c)));
        }
        return then(new LogicalOp.Project(plan, new Projection.Select(items)));
    }

    /** Every column but these. */
    public Dataset drop(String... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("drop needs at least one column");
        }
        return then(new LogicalOp.Project(plan, new Projection.Drop(Arrays.asList(columns))));
    }

    /** Columns renamed old name → new name. */
    public Dataset rename(Map<String, String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("rename needs at least one column");
        }
        return then(new LogicalOp.Project(plan, new Projection.Rename(new LinkedHashMap<>(names))));
    }

    public Dataset rename(String from, String to) {
        return rename(Map.of(from, to));
    }

    /** Every column plus {@code name} = {@code expr} (replacing a column of that name in place). */
    public Dataset withColumn(String name, Expr expr) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("column name must not be blank");
        }
        return then(new LogicalOp.Project(plan, new Projection.WithColumn(name, require(expr, "expression"))));
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
        if (keys == null || keys.length == 0 || descending == null || descending.length != keys.length) {
            throw new IllegalArgumentException("sort needs at least one key and one direction per key, got "
                    + (keys == null ? 0 : keys.length) + " keys and " + (descending == null ? 0 : descending.length)
                    + " directions");
        }
        List<SortKey> sortKeys = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            sortKeys.add(new SortKey(require(keys[i], "sort key"), descending[i]));
        }
        return exchange(new Exchange.Sort(sortKeys));
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
     * About {@code n} blocks of about equal size (rows are spread at random, so the order changes); a reducer's
     * output above the target block size is still cut into several blocks.
     */
    public Dataset repartition(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("repartition needs n >= 1, got " + n);
        }
        return exchange(new Exchange.RandomShuffle(0x7ea2L, n, true));
    }

    /** The rows of this dataset followed by those of {@code others} (the schemas must match). */
    public Dataset union(Dataset... others) {
        if (others == null || others.length == 0) {
            throw new IllegalArgumentException("union needs at least one other dataset");
        }
        List<Object> plans = new ArrayList<>();
        for (Dataset d : others) {
            plans.add(require(d, "union input").plan);
        }
        return exchange(new Exchange.Union(plans));
    }

    /** Right sides up to this size are broadcast rather than shuffled (when the join type allows it). */
    public static final long BROADCAST_THRESHOLD_BYTES = 32L << 20;

    /**
     * Equi-join with {@code other} on column {@code on} (present on both sides; the output has it once). The
     * right side is broadcast (put once, built once per left block) when it is at most
     * {@link #BROADCAST_THRESHOLD_BYTES} and the join type is inner, left outer, left semi or left anti; else
     * both sides are shuffled by key hash. Right columns whose names clash get the suffix {@code _right}.
     */
    public Dataset join(Dataset other, String on, JoinType how) {
        return join(other, on, how, false);
    }

    /** Like {@link #join(Dataset, String, JoinType)}; {@code broadcast} forces a broadcast of {@code other} where the type allows. */
    public Dataset join(Dataset other, String on, JoinType how, boolean broadcast) {
        require(other, "join input");
        require(on, "join key");
        require(how, "join type");
        return join(other, on, how, broadcast, BROADCAST_THRESHOLD_BYTES);
    }

    Dataset join(Dataset other, String on, JoinType how, boolean broadcast, long broadcastThresholdBytes) {
        JoinSpec spec = JoinSpec.on(dev.weft.data.internal.kernels.JoinType.valueOf(how.name()), List.of(on));
        return exchange(new Exchange.Join(spec, other.plan, broadcast, broadcastThresholdBytes));
    }

    Dataset exchange(Exchange exchange) {
        return then(new LogicalOp.AllToAll(plan, exchange));
    }

    // ---- plans --------------------------------------------------------------------------------------------

    /** The optimized physical plan, root first, inputs indented (stable text, used by tests). */
    public String explain() {
        return PhysicalPlanner.explain(PhysicalPlanner.plan(plan));
    }

    /** The files the sources of this dataset read (without reading them). */
    public List<String> inputFiles() {
        LinkedHashSet<String> files = new LinkedHashSet<>();
        for (LogicalOp op = plan; op != null; op = op.input()) {
            if (op instanceof LogicalOp.Read r) {
                int parallelism = context.readParallelism() > 0 ? context.readParallelism() : 8;
                r.source().getReadTasks(parallelism, context).forEach(t -> files.addAll(t.metadata().inputFiles()));
            } else if (op instanceof LogicalOp.InputBlocks b) {
                b.blocks().forEach(x -> files.addAll(x.inputFiles()));
            }
        }
        return List.copyOf(files);
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
     * stopping early — that stops the execution.
     */
    public CloseableIterator<VectorSchemaRoot> iterBatches(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        return new OwnedBatches(new Rebatcher(execute(plan), batchSize, dev.weft.data.internal.arrow.DataAllocators.root()));
    }

    /** The rows in whole blocks. */
    public CloseableIterator<VectorSchemaRoot> iterBatches() {
        return new OwnedBatches(execute(plan));
    }

    /** The rows one at a time (boxed; for inspection and small outputs). Close it when stopping early. */
    public CloseableIterator<Row> iterRows() {
        CloseableIterator<VectorSchemaRoot> batches = iterBatches();
        return new CloseableIterator<>() {
            private List<Row> current = List.of();
            private int pos;

            @Override
            public boolean hasNext() {
                while (pos >= current.size()) {
                    if (!batches.hasNext()) {
                        return false;
                    }
                    current = RowBatches.toRows(batches.next());
                    pos = 0;
                }
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.get(pos++);
            }

            @Override
            public void close() {
                batches.close();
            }
        };
    }

    /** Up to the first {@code n} rows. */
    public List<Row> take(int n) {
        return limit(n).takeAll();
    }

    /** Every row, on the driver. */
    public List<Row> takeAll() {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = iterRows()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    /** Prints up to {@code n} rows to standard output. */
    public void show(int n) {
        take(n).forEach(System.out::println);
    }

    public void show() {
        show(20);
    }

    /** The number of rows: from source metadata when the plan keeps every row, else by running the plan. */
    public long count() {
        Long fromMetadata = countFromMetadata();
        if (fromMetadata != null) {
            return fromMetadata;
        }
        long total = 0;
        try (OutputBatches out = execute(plan)) {
            while (out.hasNext()) {
                total += out.skip().numRows();
            }
        }
        return total;
    }

    private Long countFromMetadata() {
        LogicalOp op = plan;
        while (op instanceof LogicalOp.Project) {
            op = op.input();
        }
        if (op instanceof LogicalOp.InputBlocks b) {
            return b.blocks().stream().mapToLong(BlockRef::numRows).sum();
        }
        if (op instanceof LogicalOp.Read r) {
            if (r.source().exactRowCount().isPresent()) {
                return r.source().exactRowCount().getAsLong();
            }
            int parallelism = context.readParallelism() > 0 ? context.readParallelism() : 8;
            long sum = 0;
            for (ReadTask t : r.source().getReadTasks(parallelism, context)) {
                if (t.metadata().numRows().isEmpty()) {
                    return null;
                }
                sum += t.metadata().numRows().getAsLong();
            }
            return sum;
        }
        return null;
    }

    /** The schema of the rows: from the plan when the source's schema is known, else from the first block. */
    public Schema schema() {
        Schema planned = plannedSchema(plan);
        if (planned != null) {
            return planned;
        }
        try (CloseableIterator<VectorSchemaRoot> it = limit(1).iterBatches()) {
            if (!it.hasNext()) {
                throw new WeftException(ErrorType.USER_ERROR, "the dataset is empty, so its schema is unknown");
            }
            return it.next().getSchema();
        }
    }

    private static Schema plannedSchema(LogicalOp op) {
        return switch (op) {
            case LogicalOp.Read r -> r.source().schema().orElse(null);
            case LogicalOp.Filter f -> plannedSchema(f.input());
            case LogicalOp.Limit l -> plannedSchema(l.input());
            case LogicalOp.Sample s -> plannedSchema(s.input());
            case LogicalOp.Project p -> {
                Schema in = plannedSchema(p.input());
                yield in == null ? null : p.projection().outputSchema(in);
            }
            default -> null;
        };
    }

    public double sum(String column) {
        return aggregate(column).sum;
    }

    public double min(String column) {
        return aggregate(column).requireRows("min").min;
    }

    public double max(String column) {
        return aggregate(column).requireRows("max").max;
    }

    public double mean(String column) {
        return aggregate(column).requireRows("mean").mean;
    }

    /** The sample standard deviation (n - 1 in the denominator). */
    public double std(String column) {
        Aggregates a = aggregate(column).requireRows("std");
        return a.count < 2 ? 0 : Math.sqrt(a.m2 / (a.count - 1));
    }

    private Aggregates aggregate(String column) {
        Aggregates a = new Aggregates(column);
        try (CloseableIterator<VectorSchemaRoot> it = select(column).iterBatches()) {
            while (it.hasNext()) {
                a.add(it.next().getVector(column));
            }
        }
        return a;
    }

    /** Runs the plan and keeps every block in the object store; the new dataset reads them. */
    public Dataset materialize() {
        List<BlockRef> blocks = new ArrayList<>();
        Set<ObjectRef<?>> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        try (OutputBatches out = execute(plan, "job-" + UUID.randomUUID(), kept)) {
            while (out.hasNext()) {
                BlockRef b = out.takeRef();
                kept.add(b.ref());
                blocks.add(b);
            }
        }
        Dataset d = new Dataset(new LogicalOp.InputBlocks(blocks), context);
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
        require(sink, "sink");
        String jobId = "write-" + UUID.randomUUID();
        try {
            sink.onWriteStart(jobId, context);
        } catch (java.io.IOException e) {
            throw new WeftException(ErrorType.USER_ERROR, "starting the write to " + sink.name() + " (" + sink.describe()
                    + ") failed: " + e, e);
        }
        StreamingExecutor exec = null;
        List<WriteResult> results = List.of();
        try {
            OutputBatches out = execute(new LogicalOp.Write(plan, sink), jobId);
            exec = out.executor();
            try (out) {
                while (out.hasNext()) {
                    out.skip();
                }
            }
            results = exec.writeResults();
            sink.commit(jobId, results);
        } catch (Throwable t) {
            List<WriteResult> completed = exec == null ? results : exec.writeResults();
            sink.abort(jobId, completed, t);
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new WeftException(ErrorType.USER_ERROR, "committing the write to " + sink.name() + " failed: " + t, t);
        } finally {
            if (exec != null) {
                lastStats.set(exec.stats());
            }
        }
    }

    // ---- execution ----------------------------------------------------------------------------------

    private OutputBatches execute(LogicalOp root) {
        return execute(root, "job-" + UUID.randomUUID());
    }

    private OutputBatches execute(LogicalOp root, String jobId) {
        return execute(root, jobId, Set.of());
    }

    /**
     * Runs the exchanges of {@code root} first (each a barrier whose output blocks this execution owns), then
     * streams the rest; closing the result releases the exchange outputs except those in {@code kept} (the
     * blocks a caller took over for good).
     */
    private OutputBatches execute(LogicalOp root, String jobId, Set<ObjectRef<?>> kept) {
        Weft weft = Weft.current();
        List<BlockRef> owned = new ArrayList<>();
        Runnable release = () -> owned.forEach(b -> {
            if (!kept.contains(b.ref())) {
                b.ref().close();
            }
        });
        try {
            LogicalOp resolved = resolveExchanges(root, weft, owned);
            StreamingExecutor exec = new StreamingExecutor(weft, PhysicalPlanner.plan(resolved), context, jobId);
            exec.start();
            return new OutputBatches(exec, context.prefetchBlocks(), () -> {
                lastStats.set(exec.stats());
                release.run();
            });
        } catch (RuntimeException | Error e) {
            release.run();
            throw e;
        }
    }

    /** {@code op} with every all-to-all exchange below it replaced by its output blocks (added to {@code owned}). */
    private LogicalOp resolveExchanges(LogicalOp op, Weft weft, List<BlockRef> owned) {
        if (op == null) {
            return null;
        }
        LogicalOp in = resolveExchanges(op.input(), weft, owned);
        if (!(op instanceof LogicalOp.AllToAll a)) {
            return in == op.input() ? op : op.withInput(in);
        }
        Set<ObjectRef<?>> borrowed = Collections.newSetFromMap(new IdentityHashMap<>());
        LogicalOp source = in;
        while (source.input() != null) {
            source = source.input();
        }
        if (source instanceof LogicalOp.InputBlocks b) {
            b.blocks().forEach(x -> borrowed.add(x.ref()));
        }
        List<BlockRef> inputs = new ArrayList<>();
        List<BlockRef> rightOwned = new ArrayList<>();
        List<BlockRef> rightInputs = new ArrayList<>();
        try {
            if (a.exchange() instanceof Exchange.GroupBy g) {
                // A group-by streams: its map tasks consume the upstream's blocks as they come, within its budget.
                List<BlockRef> result = streamGroupBy(in, weft, g, borrowed);
                owned.addAll(result);
                return new LogicalOp.InputBlocks(result);
            }
            runToBlocks(in, weft, inputs);
            List<BlockRef> result;
            if (a.exchange() instanceof Exchange.Union u) {
                for (Object other : u.others()) {
                    LogicalOp r = resolveExchanges((LogicalOp) other, weft, owned);
                    LogicalOp rs = r;
                    while (rs.input() != null) {
                        rs = rs.input();
                    }
                    if (rs instanceof LogicalOp.InputBlocks b) {
                        b.blocks().forEach(x -> borrowed.add(x.ref()));
                    }
                    runToBlocks(r, weft, rightInputs);
                }
                result = new ArrayList<>(inputs);
                result.addAll(rightInputs);
                // The blocks move into the union as they are; the ones this execution produced are now owned.
                result.stream().filter(b -> !borrowed.contains(b.ref())).forEach(owned::add);
                inputs.clear();
                rightInputs.clear();
                return new LogicalOp.InputBlocks(result);
            } else if (a.exchange() instanceof Exchange.Join j) {
                LogicalOp right = resolveExchanges((LogicalOp) j.right(), weft, rightOwned);
                LogicalOp rightSource = right;
                while (rightSource.input() != null) {
                    rightSource = rightSource.input();
                }
                if (rightSource instanceof LogicalOp.InputBlocks b) {
                    b.blocks().forEach(x -> borrowed.add(x.ref()));
                }
                runToBlocks(right, weft, rightInputs);
                result = AllToAllOperator.runJoin(weft, inputs, rightInputs, schemaOf(in, inputs),
                        schemaOf(right, rightInputs), j, context);
            } else {
                result = AllToAllOperator.run(weft, inputs, a.exchange(), context);
            }
            owned.addAll(result);
            return new LogicalOp.InputBlocks(result);
        } finally {
            inputs.stream().filter(b -> !borrowed.contains(b.ref())).forEach(b -> b.ref().close());
            rightInputs.stream().filter(b -> !borrowed.contains(b.ref())).forEach(b -> b.ref().close());
            rightOwned.forEach(b -> b.ref().close());
        }
    }

    /** Runs {@code in} and aggregates its blocks as they come, freeing each (unless borrowed) once it is mapped. */
    private List<BlockRef> streamGroupBy(LogicalOp in, Weft weft, Exchange.GroupBy g, Set<ObjectRef<?>> borrowed) {
        StreamingExecutor exec = new StreamingExecutor(weft, PhysicalPlanner.plan(in), context, "job-" + UUID.randomUUID());
        exec.start();
        try (OutputBatches out = new OutputBatches(exec, 0, () -> { })) {
            return AllToAllOperator.runGroupBy(weft, new BlockSource() {
                @Override
                public boolean hasNext() {
                    return out.hasNext();
                }

                @Override
                public BlockRef next() {
                    return out.takeRef();
                }

                @Override
                public boolean release(BlockRef block) {
                    if (borrowed.contains(block.ref())) {
                        return true;
                    }
                    block.ref().close();
                    return false;
                }
            }, 0, g, context);
        }
    }

    private void runToBlocks(LogicalOp resolved, Weft weft, List<BlockRef> into) {
        StreamingExecutor exec = new StreamingExecutor(weft, PhysicalPlanner.plan(resolved), context, "job-" + UUID.randomUUID());
        exec.start();
        try (OutputBatches out = new OutputBatches(exec, 0, () -> { })) {
            while (out.hasNext()) {
                into.add(out.takeRef());
            }
        }
    }

    /** A join side's schema: from its first block, else from the plan, else by running it (empty: an error). */
    private Schema schemaOf(LogicalOp resolved, List<BlockRef> blocks) {
        for (BlockRef b : blocks) {
            try (VectorSchemaRoot block = b.ref().get()) {
                return block.getSchema();
            }
        }
        return new Dataset(resolved, context).schema();
    }

    /** Closes each batch it hands out when the consumer moves on. */
    private static final class OwnedBatches implements CloseableIterator<VectorSchemaRoot> {
        private final CloseableIterator<VectorSchemaRoot> in;
        private VectorSchemaRoot current;

        OwnedBatches(CloseableIterator<VectorSchemaRoot> in) {
            this.in = in;
        }

        @Override
        public boolean hasNext() {
            releaseCurrent();
            return in.hasNext();
        }

        @Override
        public VectorSchemaRoot next() {
            releaseCurrent();
            current = in.next();
            return current;
        }

        private void releaseCurrent() {
            if (current != null) {
                current.close();
                current = null;
            }
        }

        @Override
        public void close() {
            releaseCurrent();
            in.close();
        }
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return value;
    }

    private static String functionName(Object fn) {
        var lambda = FunctionNames.serializedLambda(fn);
        if (lambda == null) {
            return fn.getClass().getSimpleName();
        }
        String owner = lambda.getImplClass();
        owner = owner.substring(owner.lastIndexOf('/') + 1);
        owner = owner.substring(owner.lastIndexOf('$') + 1);
        String method = lambda.getImplMethodName();
        if ("<init>".equals(method)) {
            return owner;
        }
        return owner + "." + (method.startsWith("lambda$") ? "lambda" : method);
    }

    @Override
    public String toString() {
        return "Dataset\n" + explain();
    }
}
