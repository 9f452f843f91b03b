package dev.weft.data.internal.exec;

import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.data.DataContext;
import dev.weft.data.DatasetStats;
import dev.weft.data.internal.plan.LogicalOp;
import dev.weft.data.internal.plan.PhysicalPlanner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Runs a dataset's logical plan: every barrier below the root (all-to-all exchanges, block transforms) runs
 * first, to completion, and is replaced by its output blocks, which this execution owns; the rest streams.
 * One instance per execution (its statistics gather everything {@link #execute} ran); thread-safe.
 */
public final class PlanExecution {
    private final DataContext context;
    private final Consumer<DatasetStats> onStats;
    private final Function<LogicalOp, Schema> planSchema;
    /** The statistics of the executions and exchanges this execution ran below its root, in the order they ended. */
    private final ExecutionLog log = new ExecutionLog();
    /** The object ids of the blocks of every broadcast join this execution planned (their hash tables go with it). */
    private final List<String> broadcastBlocks = java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * @param onStats    receives the statistics of the execution when it ends: every streaming execution and
     *                   exchange it ran (upstream first), with the wall time of the whole
     * @param planSchema the schema of a (resolved) plan, run if need be; for join sides without blocks
     */
    public PlanExecution(DataContext context, Consumer<DatasetStats> onStats, Function<LogicalOp, Schema> planSchema) {
        this.context = context;
        this.onStats = onStats;
        this.planSchema = planSchema;
    }

    /**
     * Runs the barriers of {@code root} first, then streams the rest; closing the result releases the barrier
     * outputs except those in {@code kept} (the blocks a caller took over for good).
     */
    public OutputBatches execute(LogicalOp root, String jobId, Set<ObjectRef<?>> kept) {
        Weft weft = Weft.current();
        List<BlockRef> owned = new ArrayList<>();
        Runnable release = () -> {
            // The hash tables built on the broadcast blocks in this JVM go with the blocks.
            BroadcastTables.release(broadcastBlocks);
            owned.forEach(b -> {
                if (!kept.contains(b.ref())) {
                    b.ref().close();
                }
            });
        };
        try {
            LogicalOp resolved = resolve(root, weft, owned);
            StreamingExecutor exec = new StreamingExecutor(weft, PhysicalPlanner.plan(resolved), context, jobId);
            exec.start();
            return new OutputBatches(exec, context.prefetchBlocks(), () -> {
                onStats.accept(log.with(exec.stats()));
                release.run();
            });
        } catch (RuntimeException | Error e) {
            release.run();
            throw e;
        }
    }

    /** {@code op} with every barrier below it replaced by its output blocks (added to {@code owned}). */
    private LogicalOp resolve(LogicalOp op, Weft weft, List<BlockRef> owned) {
        if (op == null) {
            return null;
        }
        LogicalOp in = resolve(op.input(), weft, owned);
        if (op instanceof LogicalOp.Barrier b) {
            return resolveBarrier(b, in, weft, owned);
        }
        if (!(op instanceof LogicalOp.AllToAll a)) {
            return in == op.input() ? op : op.withInput(in);
        }
        Set<ObjectRef<?>> borrowed = identitySet();
        borrowed.addAll(sourceRefs(in));
        List<BlockRef> inputs = new ArrayList<>();
        List<BlockRef> rightOwned = new ArrayList<>();
        List<BlockRef> rightInputs = new ArrayList<>();
        LogicalOp[] rightPlan = {null};
        try {
            if (a.exchange() instanceof Exchange.GroupBy g) {
                // A group-by streams: its map tasks consume the upstream's blocks as they come, within its budget.
                List<BlockRef> result = streamGroupBy(in, weft, g, borrowed);
                owned.addAll(result);
                return new LogicalOp.InputBlocks(result);
            }
            List<BlockRef> result;
            if (!(a.exchange() instanceof Exchange.Join)) {
                runToBlocks(in, weft, inputs);
            }
            if (a.exchange() instanceof Exchange.Union u) {
                for (Object other : u.others()) {
                    LogicalOp r = resolve((LogicalOp) other, weft, owned);
                    borrowed.addAll(sourceRefs(r));
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
                // Both sides stream into the join: it pulls their blocks as it needs them and frees each (unless
                // borrowed) once it is consumed.
                LogicalOp right = resolve((LogicalOp) j.right(), weft, rightOwned);
                rightPlan[0] = right;
                if (j.broadcast() && j.broadcastable() && context.fuseBroadcastJoins()) {
                    return fuseBroadcast(in, right, j, weft, owned, rightOwned);
                }
                borrowed.addAll(sourceRefs(right));
                try (StreamedPlan rs = new StreamedPlan(right, weft, borrowed);
                     Prefixed rightSide = new Prefixed(rs)) {
                    if (j.broadcastable() && context.fuseBroadcastJoins()) {
                        // Small enough to broadcast by size? Read the right side up to the threshold to find out.
                        long threshold = AllToAllOperator.broadcastThreshold(weft, j, context);
                        if (rightSide.readUpTo(threshold)) {
                            owned.addAll(rightOwned);
                            rightOwned.clear();
                            List<BlockRef> blocks = rightSide.takeHead();
                            blocks.stream().filter(b -> !borrowed.contains(b.ref())).forEach(owned::add);
                            return broadcast(in, blocks.stream().filter(b -> b.numRows() > 0).toList(), j,
                                    planSchema.apply(right).toJson());
                        }
                    }
                    try (StreamedPlan ls = new StreamedPlan(in, weft, borrowed)) {
                        long start = System.nanoTime();
                        result = AllToAllOperator.runJoin(weft, ls, () -> planSchema.apply(in), rightSide,
                                () -> planSchema.apply(right), j, context);
                        log.exchange(j, start, result);
                    }
                }
            } else {
                long start = System.nanoTime();
                result = AllToAllOperator.run(weft, inputs, a.exchange(), context);
                log.exchange(a.exchange(), start, result);
            }
            owned.addAll(result);
            return new LogicalOp.InputBlocks(result);
        } catch (RuntimeException e) {
            // Where the input's schema was unknown when the plan was built, a missing key surfaces from the
            // exchange's tasks: find the schema now and report it as the plan would have.
            throw PlanChecks.afterExchangeFailure(e, a, () -> inputs.isEmpty() ? planSchema.apply(in)
                    : PlanChecks.schemaOf(inputs.getFirst()), () -> planSchema.apply(rightPlan[0]));
        } finally {
            inputs.stream().filter(b -> !borrowed.contains(b.ref())).forEach(b -> b.ref().close());
            rightInputs.stream().filter(b -> !borrowed.contains(b.ref())).forEach(b -> b.ref().close());
            rightOwned.forEach(b -> b.ref().close());
        }
    }

    /**
     * A broadcast join as a stage of the left side's tasks: the right side is read whole now, its blocks held by
     * this execution until it ends; the left side is not run here but streams through the join in the operators
     * above it (so the joined rows go on to the next stages, and a following aggregate, in the same tasks).
     */
    private LogicalOp fuseBroadcast(LogicalOp left, LogicalOp right, Exchange.Join j, Weft weft, List<BlockRef> owned,
                                    List<BlockRef> rightOwned) {
        // Blocks the right plan starts from are borrowed, or its own exchange outputs (rightOwned, which the caller
        // frees on failure): only the blocks running it made are this method's to free or hand over.
        Set<ObjectRef<?>> notMade = identitySet();
        notMade.addAll(sourceRefs(right));
        rightOwned.forEach(b -> notMade.add(b.ref()));
        List<BlockRef> blocks = new ArrayList<>();
        try {
            runToBlocks(right, weft, blocks);
        } catch (RuntimeException | Error e) {
            blocks.stream().filter(b -> !notMade.contains(b.ref())).forEach(b -> b.ref().close());
            throw e;
        }
        // The right plan's exchange outputs may be the very blocks read: they live as long as the execution.
        owned.addAll(rightOwned);
        rightOwned.clear();
        blocks.stream().filter(b -> !notMade.contains(b.ref())).forEach(owned::add);
        List<BlockRef> nonEmpty = blocks.stream().filter(b -> b.numRows() > 0).toList();
        return broadcast(left, nonEmpty, j, planSchema.apply(right).toJson());
    }

    private LogicalOp broadcast(LogicalOp left, List<BlockRef> right, Exchange.Join j, String rightSchemaJson) {
        right.forEach(b -> broadcastBlocks.add(b.ref().id()));
        return new LogicalOp.BroadcastJoin(left, right, j.spec().withBuildLeft(false), rightSchemaJson);
    }

    /** Runs {@code in} and aggregates its blocks as they come, freeing each (unless borrowed) once it is mapped. */
    private List<BlockRef> streamGroupBy(LogicalOp in, Weft weft, Exchange.GroupBy g, Set<ObjectRef<?>> borrowed) {
        // Blocks already stored are mapped by the exchange's own tasks; anything computed folds its rows into partial
        // states in the tasks that compute them, so only states go through the store.
        LogicalOp fused = in instanceof LogicalOp.InputBlocks || !context.partialAggregation() ? in
                : new LogicalOp.PartialAggregate(in, g.keys(), g.aggregates());
        long start = System.nanoTime();
        List<BlockRef> result;
        try (StreamedPlan source = new StreamedPlan(fused, weft, borrowed)) {
            result = AllToAllOperator.runGroupBy(weft, source, 0, g, context);
        }
        log.exchange(g, start, result);
        return result;
    }

    /**
     * A resolved plan's output as the input of an exchange: the plan starts running when its first block is asked
     * for; a released block is freed unless borrowed (a materialized dataset's). Closing stops the plan and frees
     * the blocks not taken.
     */
    private final class StreamedPlan implements BlockSource, AutoCloseable {
        private final LogicalOp plan;
        private final Weft weft;
        private final Set<ObjectRef<?>> borrowed;
        private OutputBatches out;

        StreamedPlan(LogicalOp plan, Weft weft, Set<ObjectRef<?>> borrowed) {
            this.plan = plan;
            this.weft = weft;
            this.borrowed = borrowed;
        }

        private OutputBatches out() {
            if (out == null) {
                StreamingExecutor exec = new StreamingExecutor(weft, PhysicalPlanner.plan(plan), context,
                        "job-" + UUID.randomUUID());
                exec.start();
                out = new OutputBatches(exec, 0, () -> log.add(exec.stats()));
            }
            return out;
        }

        @Override
        public boolean hasNext() {
            return out().hasNext();
        }

        @Override
        public BlockRef next() {
            return out().takeRef();
        }

        @Override
        public boolean release(BlockRef block) {
            if (borrowed.contains(block.ref())) {
                return true;
            }
            block.ref().close();
            return false;
        }

        @Override
        public void close() {
            if (out != null) {
                out.close();
            }
        }
    }

    /**
     * A source that may read ahead of its consumer: the blocks read ahead come first, then the rest of the
     * underlying source. Closing releases the blocks read ahead and never handed out.
     */
    private static final class Prefixed implements BlockSource, AutoCloseable {
        private final BlockSource source;
        private final java.util.ArrayDeque<BlockRef> head = new java.util.ArrayDeque<>();

        Prefixed(BlockSource source) {
            this.source = source;
        }

        /** Reads ahead while the blocks read ahead hold at most {@code bytes}; whether the source ended within it. */
        boolean readUpTo(long bytes) {
            long read = 0;
            while (read <= bytes && source.hasNext()) {
                BlockRef b = source.next();
                head.add(b);
                read += b.sizeBytes();
            }
            return read <= bytes;
        }

        /** The blocks read ahead, now the caller's. */
        List<BlockRef> takeHead() {
            List<BlockRef> taken = new ArrayList<>(head);
            head.clear();
            return taken;
        }

        @Override
        public boolean hasNext() {
            return !head.isEmpty() || source.hasNext();
        }

        @Override
        public BlockRef next() {
            return head.isEmpty() ? source.next() : head.poll();
        }

        @Override
        public boolean release(BlockRef block) {
            return source.release(block);
        }

        @Override
        public void close() {
            while (!head.isEmpty()) {
                source.release(head.poll());
            }
        }
    }

    /**
     * Runs a block transform. Input blocks it passes through stay alive (owned by this execution unless
     * borrowed from a materialized dataset); the others are released once it returned.
     */
    private LogicalOp resolveBarrier(LogicalOp.Barrier b, LogicalOp in, Weft weft, List<BlockRef> owned) {
        Set<ObjectRef<?>> borrowed = identitySet();
        borrowed.addAll(sourceRefs(in));
        List<BlockRef> inputs = new ArrayList<>();
        List<BlockRef> sideOwned = new ArrayList<>();
        List<List<BlockRef>> sides = new ArrayList<>();
        Set<ObjectRef<?>> passed = identitySet();
        try {
            boolean ordered = b.transform().needsInputOrder();
            runToBlocks(in, weft, inputs, ordered);
            for (LogicalOp side : b.transform().sideInputs()) {
                LogicalOp r = resolve(side, weft, sideOwned);
                borrowed.addAll(sourceRefs(r));
                List<BlockRef> blocks = new ArrayList<>();
                sides.add(blocks);
                runToBlocks(r, weft, blocks, ordered);
            }
            List<BlockRef> result = b.transform().apply(weft, inputs, sides, context);
            result.forEach(x -> passed.add(x.ref()));
            sideOwned.forEach(x -> borrowed.remove(x.ref()));
            result.stream().filter(x -> !borrowed.contains(x.ref())).forEach(owned::add);
            return new LogicalOp.InputBlocks(List.copyOf(result));
        } finally {
            // Exchange outputs inside a side plan belong to this barrier, although the side reads them as input.
            sideOwned.forEach(x -> borrowed.remove(x.ref()));
            List<BlockRef> consumed = new ArrayList<>(inputs);
            sides.forEach(consumed::addAll);
            consumed.addAll(sideOwned);
            consumed.stream().filter(x -> !borrowed.contains(x.ref()) && !passed.contains(x.ref()))
                    .forEach(x -> x.ref().close());
        }
    }

    /**
     * The refs of every materialized block {@code plan} reads (its sources, side inputs and joined or unioned
     * plans): blocks a consumer of this plan's output borrows and must never release.
     */
    public static Set<ObjectRef<?>> inputBlockRefs(LogicalOp plan) {
        Set<ObjectRef<?>> refs = identitySet();
        collectInputBlocks(plan, refs);
        return refs;
    }

    private static void collectInputBlocks(LogicalOp plan, Set<ObjectRef<?>> into) {
        for (LogicalOp op = plan; op != null; op = op.input()) {
            switch (op) {
                case LogicalOp.InputBlocks b -> b.blocks().forEach(x -> into.add(x.ref()));
                case LogicalOp.Barrier b -> b.transform().sideInputs().forEach(side -> collectInputBlocks(side, into));
                case LogicalOp.AllToAll a when a.exchange() instanceof Exchange.Union u ->
                        u.others().forEach(o -> collectInputBlocks((LogicalOp) o, into));
                case LogicalOp.AllToAll a when a.exchange() instanceof Exchange.Join j ->
                        collectInputBlocks((LogicalOp) j.right(), into);
                default -> { }
            }
        }
    }

    private static Set<ObjectRef<?>> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    /** The refs of the materialized blocks a resolved plan starts from (borrowed: never released here). */
    private static List<ObjectRef<?>> sourceRefs(LogicalOp resolved) {
        LogicalOp source = resolved;
        while (source.input() != null) {
            source = source.input();
        }
        List<ObjectRef<?>> refs = new ArrayList<>();
        if (source instanceof LogicalOp.InputBlocks b) {
            b.blocks().forEach(x -> refs.add(x.ref()));
        }
        return refs;
    }

    private void runToBlocks(LogicalOp resolved, Weft weft, List<BlockRef> into) {
        runToBlocks(resolved, weft, into, false);
    }

    private void runToBlocks(LogicalOp resolved, Weft weft, List<BlockRef> into, boolean ordered) {
        StreamingExecutor exec = new StreamingExecutor(weft, PhysicalPlanner.plan(resolved), context,
                "job-" + UUID.randomUUID());
        if (ordered) {
            exec.preserveOrder();
        }
        exec.start();
        try (OutputBatches out = new OutputBatches(exec, 0, () -> log.add(exec.stats()))) {
            while (out.hasNext()) {
                into.add(out.takeRef());
            }
        }
    }
}
