package dev.weft.data.internal.exec;

import dev.weft.api.ErrorType;
import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectRef;
import dev.weft.api.Resources;
import dev.weft.api.Weft;
import dev.weft.api.WeftException;
import dev.weft.data.DataContext;
import dev.weft.data.DatasetStats;
import dev.weft.data.OperatorStats;
import dev.weft.data.WriteResult;
import dev.weft.data.internal.plan.PhysicalOp;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a physical plan as a stream: operators exchange blocks by {@code ObjectRef}; a task is launched only
 * while byte budgets allow — the source is held back when the bytes in flight (queued blocks, blocks held by
 * running tasks, estimated outputs of running tasks, outputs not yet taken by the consumer) would pass the
 * global budget, and each operator stops launching while its unconsumed output passes its own budget. So the
 * store holds a bounded amount whatever the input size. Blocks are released the moment they are consumed.
 *
 * <p>One executor thread owns all scheduling state; task completions and consumer releases reach it as
 * events. The consumer calls {@link #next()} / {@link #releaseOutput} from its own thread; {@link #close()}
 * stops early and releases everything.
 */
public final class StreamingExecutor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingExecutor.class);
    private static final Object END = new Object();
    private static final long SAMPLE_NANOS = 5_000_000;

    private final Weft weft;
    private final DataContext context;
    private final String jobId;
    private final List<OperatorState> ops = new ArrayList<>();
    private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final LinkedBlockingDeque<Object> output = new LinkedBlockingDeque<>();
    private final AtomicLong outputPending = new AtomicLong();
    private volatile boolean preserveOrder;
    private final Set<ObjectRef<?>> borrowed = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private final List<WriteResult> writeResults = Collections.synchronizedList(new ArrayList<>());
    private final long globalBudget;
    private final long operatorBudget;
    private final int clusterCpus;
    private final double clusterCpuTotal;
    private final ProgressReporter progress;
    private final ProgressWatchdog watchdog;
    /** The watchdog fired once: actors were killed and tasks cancelled; if even that ends nothing, stop waiting. */
    private boolean forcedStop;
    private final long[] progressTotals;
    private volatile boolean stopRequested;
    private volatile Throwable failure;
    private volatile DatasetStats finalStats;
    private Thread thread;
    private long startNanos;
    private long lastSample;
    private long peakStore;
    private long peakInFlight;
    private long baselineStore;
    private boolean endSent;

    public StreamingExecutor(Weft weft, List<PhysicalOp> plan, DataContext context, String jobId) {
        this.weft = weft;
        this.context = context;
        this.jobId = jobId;
        List<NodeInfo> nodes = weft.nodes();
        this.clusterCpuTotal = nodes.stream().filter(NodeInfo::alive)
                .mapToDouble(n -> n.totalResources().getOrDefault(Resources.CPU, 0.0)).sum();
        this.clusterCpus = (int) Math.max(1, clusterCpuTotal);
        this.liveCpus = clusterCpuTotal;
        this.globalBudget = context.globalBudgetBytes() > 0 ? context.globalBudgetBytes()
                : (long) (context.objectStoreBudgetFraction() * storeCapacity(nodes));
        this.operatorBudget = context.operatorBudgetBytes() > 0 ? context.operatorBudgetBytes()
                : Math.max(globalBudget / Math.max(1, plan.size()), context.targetMaxBlockSizeBytes());
        for (int i = 0; i < plan.size(); i++) {
            PhysicalOp op = plan.get(i);
            ops.add(switch (op) {
                case PhysicalOp.ReadOp r -> new ReadState(i, r, this);
                case PhysicalOp.InputOp in -> new InputState(i, in, this);
                case PhysicalOp.MapOp m when m.compute().useActors() -> new ActorMapState(i, m, this);
                case PhysicalOp.MapOp m -> new TaskMapState(i, m, this);
                case PhysicalOp.LimitOp l -> new LimitState(i, l, this);
                case PhysicalOp.WriteOp w -> new TaskMapState(i, new PhysicalOp.MapOp(List.of(),
                        dev.weft.data.MapBatches.tasks(), w.sink()), this);
                // Dataset replaces every exchange by its output blocks before it streams a plan.
                case PhysicalOp.AllToAllOp a -> throw new IllegalStateException("operator " + a.explain()
                        + " reached the streaming executor unresolved; it runs as a barrier before streaming");
                case PhysicalOp.BarrierOp b -> throw new IllegalStateException("operator " + b.explain()
                        + " reached the streaming executor unresolved; it runs as a barrier before streaming");
            });
        }
        // "The first n rows (in block order)": a limit must see blocks in order, not as their tasks finish.
        this.preserveOrder = plan.stream().anyMatch(op -> op instanceof PhysicalOp.LimitOp);
        this.progressTotals = new long[plan.size()];
        this.progress = new ProgressReporter(ops.stream().map(o -> o.name).toList(), context.progressBars());
        this.watchdog = new ProgressWatchdog(context.progressTimeout(), System.nanoTime());
    }

    /**
     * The bytes an all-to-all exchange may hold in shuffle pieces and blocks being mapped: the context's global
     * budget, else its fraction of the cluster's object store (as for a streaming plan).
     */
    static long exchangeBudget(Weft weft, DataContext context) {
        return context.globalBudgetBytes() > 0 ? context.globalBudgetBytes()
                : Math.max(1, (long) (context.objectStoreBudgetFraction() * storeCapacity(weft.nodes())));
    }

    /**
     * Capacity of the live nodes' object stores as the runtime reports it (so a store configured small gives a
     * small budget); for a runtime whose stores have no fixed capacity, its {@code object_store_memory} resource,
     * else 30 % of RAM.
     */
    static long storeCapacity(List<NodeInfo> nodes) {
        long reported = nodes.stream().filter(NodeInfo::alive).mapToLong(NodeInfo::objectStoreCapacityBytes).sum();
        if (reported > 0) {
            return reported;
        }
        double declared = nodes.stream().mapToDouble(n -> n.totalResources().getOrDefault("object_store_memory", 0.0)).sum();
        if (declared > 0) {
            return (long) declared;
        }
        try {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return (long) (os.getTotalMemorySize() * 0.3);
        } catch (ClassCastException e) {
            return Runtime.getRuntime().maxMemory();
        }
    }

    public void start() {
        startNanos = System.nanoTime();
        baselineStore = sampleStore();
        thread = Thread.ofPlatform().daemon().name("weft-dataset-" + jobId).start(this::loop);
    }

    // ---- consumer side -------------------------------------------------------------------------------

    /** The next output block (the caller releases it with {@link #releaseOutput}), or {@code null} at the end. */
    public BlockRef next() {
        Object o;
        try {
            o = output.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeftException(ErrorType.CANCELLED, "interrupted while waiting for dataset output");
        }
        if (o == END) {
            output.addFirst(END);
            return null;
        }
        if (o instanceof Throwable t) {
            output.addFirst(t);
            throw t instanceof WeftException w ? w : new WeftException(ErrorType.INTERNAL, t.toString(), t);
        }
        return (BlockRef) o;
    }

    /** The next output block if one is ready now, else {@code null} (also at the end; see {@link #next()}). */
    public BlockRef poll() {
        Object o = output.peekFirst();
        if (o instanceof BlockRef) {
            Object taken = output.pollFirst();
            if (taken instanceof BlockRef b) {
                return b;
            }
            if (taken != null) {
                output.addFirst(taken);
            }
        }
        return null;
    }

    /**
     * Makes every operator pass its outputs on in the order of its inputs (a read in read-task order), as Ray's
     * {@code preserve_order} does, for consumers that align rows by position (zip, ordered repartition). Call
     * before {@link #start()}.
     */
    public void preserveOrder() {
        preserveOrder = true;
    }

    boolean preservesOrder() {
        return preserveOrder;
    }

    /** Releases an output block the consumer is done with. Thread-safe. */
    public void releaseOutput(BlockRef block) {
        outputPending.addAndGet(-block.sizeBytes());
        release(block);
        events.add(this::consumerMoved);
    }

    /** Hands an output block over to the caller for good (it is no longer counted in the budget). */
    public BlockRef keepOutput(BlockRef block) {
        outputPending.addAndGet(-block.sizeBytes());
        events.add(this::consumerMoved);
        return block;
    }

    /** The write results of every write task (after the end of the stream). */
    public List<WriteResult> writeResults() {
        synchronized (writeResults) {
            return List.copyOf(writeResults);
        }
    }

    /** Stops (if still running), waits for running tasks, releases everything. Idempotent. */
    @Override
    public void close() {
        stopRequested = true;
        events.add(() -> { });
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Object o;
        while ((o = output.poll()) != null) {
            if (o instanceof BlockRef b) {
                releaseOutput(b);
            }
        }
    }

    /** Per-operator statistics; final once the stream has ended or the executor is closed. */
    public DatasetStats stats() {
        DatasetStats s = finalStats;
        return s != null ? s : buildStats();
    }

    // ---- executor thread -----------------------------------------------------------------------------

    private void loop() {
        try {
            for (OperatorState op : ops) {
                op.start();
            }
            watchdog.progress(System.nanoTime());
            while (true) {
                if (stopRequested && failure == null && !allCancelled()) {
                    ops.forEach(OperatorState::cancel);
                }
                schedule();
                peakInFlight = Math.max(peakInFlight, globalUsage());
                if (!endSent && ops.getLast().done && failure == null) {
                    endSent = true;
                    output.add(END);
                }
                if (noneRunning() && (endSent || failure != null || stopRequested)) {
                    break;
                }
                long now = System.nanoTime();
                if (waitingOnConsumer()) {
                    watchdog.progress(now);
                } else if (watchdog.expired(now)) {
                    if (forcedStop) {
                        LOG.warn("dataset {}: {} task(s) or actor call(s) did not end even after being cancelled; "
                                + "stopped waiting for them", jobId, ops.stream().mapToInt(o -> o.running.size()).sum());
                        break;
                    }
                    stalled();
                    watchdog.progress(now);
                    continue;
                }
                long waitNanos = Math.min(200_000_000L, Math.max(1_000_000, watchdog.nanosUntilExpiry(now)));
                for (OperatorState op : ops) {
                    if (op instanceof ActorMapState a) {
                        waitNanos = Math.min(waitNanos, Math.max(1_000_000, a.nanosUntilIdleCheck()));
                    }
                }
                Runnable ev = events.poll(waitNanos, TimeUnit.NANOSECONDS);
                while (ev != null) {
                    ev.run();
                    ev = events.poll();
                }
                maybeSample();
            }
        } catch (Throwable t) {
            fail(t);
            drainAfterFailure();
        } finally {
            for (OperatorState op : ops) {
                if (op instanceof ActorMapState a) {
                    a.releaseAll();
                }
                // left only when the watchdog gave up on them: their runtime tasks were cancelled
                op.running.values().forEach(r -> r.inputs().forEach(this::release));
                while (!op.input.isEmpty()) {
                    release(op.input.poll());
                }
            }
            maybeSample();
            progress.close();
            finalStats = buildStats();
            if (!endSent && failure == null) {
                output.add(END);
            }
        }
    }

    private void drainAfterFailure() {
        ops.forEach(OperatorState::cancel);
        while (!noneRunning()) {
            ops.forEach(OperatorState::maintain);
            try {
                Runnable ev = events.poll(30, TimeUnit.SECONDS);
                if (ev == null) {
                    return;
                }
                ev.run();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException ignored) {
                // keep draining: each completion releases what it holds
            }
        }
    }

    /**
     * Whether the execution waits for its consumer rather than the cluster: blocks are ready for it, or it holds
     * blocks that fill the budget while nothing runs. That is never a stall, however long the consumer takes.
     */
    private boolean waitingOnConsumer() {
        if (failure != null || stopRequested) {
            return false;
        }
        return !output.isEmpty() || (noneRunning() && outputPending.get() > 0);
    }

    private void consumerMoved() {
        watchdog.progress(System.nanoTime());
    }

    /**
     * Nothing moved for the watchdog's timeout: fail with what the execution waits for (unless it already failed
     * or was stopped, then only log it), and stop waiting on work that may never end — kill the actor pools,
     * which fails their calls, and cancel running tasks.
     */
    private void stalled() {
        List<NodeInfo> nodes;
        try {
            nodes = weft.nodes();
        } catch (RuntimeException e) {
            nodes = List.of();
        }
        String report = watchdog.describe(jobId, ops, nodes);
        forcedStop = true;
        if (failure == null && !stopRequested) {
            fail(new WeftException(ErrorType.INSUFFICIENT_RESOURCES, report));
        } else {
            LOG.warn("{}; giving up on the work still running after the execution {}", report,
                    failure != null ? "failed" : "was stopped");
        }
        ops.forEach(OperatorState::abandon);
    }

    private boolean allCancelled() {
        return ops.stream().allMatch(o -> o.cancelled);
    }

    private boolean noneRunning() {
        return ops.stream().allMatch(o -> o.running.isEmpty());
    }

    private void schedule() {
        boolean progressMade = true;
        while (progressMade) {
            progressMade = false;
            for (OperatorState op : ops) {
                op.maintain();
            }
            for (int i = ops.size() - 1; i >= 0; i--) {
                while (failure == null && !stopRequested && ops.get(i).tryLaunch()) {
                    progressMade = true;
                }
            }
            for (int i = 0; i < ops.size(); i++) {
                OperatorState op = ops.get(i);
                if (!op.done && op.checkDone()) {
                    progressMade = true;
                    if (i + 1 < ops.size()) {
                        ops.get(i + 1).upstreamDone = true;
                    }
                }
            }
        }
    }

    private void fail(Throwable t) {
        if (failure != null) {
            return;
        }
        // A WeftException says what failed already (an operator that cannot run, a task's error): wrapped again it
        // would only repeat itself.
        WeftException e = t instanceof WeftException w ? w
                : new WeftException(ErrorType.INTERNAL, "dataset execution failed: " + t, t);
        failure = e;
        output.add(e);
        ops.forEach(OperatorState::cancel);
    }

    void watch(OperatorState op, OperatorState.Running r) {
        watchdog.progress(System.nanoTime());
        r.ref().toCompletableFuture().whenComplete((v, err) -> events.add(() -> onComplete(op, r, v, err)));
    }

    private void onComplete(OperatorState op, OperatorState.Running r, TaskResult result, Throwable err) {
        watchdog.progress(System.nanoTime());
        r.ref().close();
        if (err != null) {
            op.running.remove(r.ref());
            op.inputInUseBytes -= r.inputBytes();
            r.inputs().forEach(this::release);
            if (op instanceof ActorMapState a) {
                a.callFailed(r);
            }
            if (!op.cancelled && failure == null) {
                fail(TaskFailures.describe(op, r, err));
            }
            return;
        }
        op.completed(r, result);
    }

    // ---- services for operator states ----------------------------------------------------------------

    Weft weft() {
        return weft;
    }

    DataContext context() {
        return context;
    }

    String jobId() {
        return jobId;
    }

    /**
     * CPUs of the live nodes (for actor pool sizing), read again at most every {@link #CPU_REFRESH_NANOS}: a node
     * that dies takes its CPUs with it, and a pool sized for the old total would hold every CPU left.
     */
    double clusterCpus() {
        long now = System.nanoTime();
        if (now - liveCpusAt > CPU_REFRESH_NANOS) {
            liveCpusAt = now;
            liveCpus = weft.nodes().stream().filter(NodeInfo::alive)
                    .mapToDouble(n -> n.totalResources().getOrDefault(Resources.CPU, 0.0)).sum();
        }
        return liveCpus;
    }

    private static final long CPU_REFRESH_NANOS = 100_000_000L;
    private long liveCpusAt = System.nanoTime();
    private double liveCpus;

    List<OperatorState> operators() {
        return ops;
    }

    long globalBudget() {
        return globalBudget;
    }

    int readParallelism() {
        return context.readParallelism() > 0 ? context.readParallelism() : Math.max(8, 2 * clusterCpus);
    }

    int maxTasksPerOperator() {
        return Math.max(2, 2 * clusterCpus);
    }

    OperatorState downstream(OperatorState op) {
        return op.index + 1 < ops.size() ? ops.get(op.index + 1) : null;
    }

    long outputPendingBytes() {
        return outputPending.get();
    }

    long globalUsage() {
        long total = outputPending.get();
        for (OperatorState op : ops) {
            total += op.inputQueuedBytes + op.inputInUseBytes + op.runningEstimatedBytes();
        }
        return total;
    }

    /** Whether a source task with {@code estimate} output bytes may start now. */
    boolean admitSource(OperatorState op, long estimate) {
        boolean fits = globalUsage() + estimate <= globalBudget
                && op.outstandingOutputBytes() + estimate <= Math.max(operatorBudget, estimate);
        // With nothing running anywhere and nothing for the consumer to take, nothing would ever free budget: let
        // one task in so the pipeline moves. (Output the consumer has not taken yet — e.g. a streaming exchange
        // pulling blocks as its own budget allows — frees budget when taken.)
        return fits || (noneRunning() && output.isEmpty());
    }

    /** Whether a non-source operator may start another task: only its own unconsumed output limits it. */
    boolean admitOperator(OperatorState op) {
        return op.running.isEmpty() || op.outstandingOutputBytes() < operatorBudget;
    }

    boolean globalBudgetAllowsGrowth() {
        return globalUsage() < globalBudget;
    }

    void emit(OperatorState from, BlockRef block) {
        OperatorState down = downstream(from);
        if (down == null) {
            outputPending.addAndGet(block.sizeBytes());
            output.add(block);
        } else {
            down.addInput(block);
        }
    }

    void borrow(BlockRef block) {
        borrowed.add(block.ref());
    }

    void release(BlockRef block) {
        if (!borrowed.contains(block.ref())) {
            block.ref().close();
        }
    }

    void cancelUpstream(OperatorState op) {
        for (int i = 0; i < op.index; i++) {
            ops.get(i).cancel();
        }
    }

    void addWriteResult(WriteResult w) {
        writeResults.add(w);
    }

    void progress(int index, long rows) {
        progress.advance(index, rows, progressTotals[index]);
    }

    void setProgressTotal(int index, long total) {
        progressTotals[index] = total;
    }

    private void maybeSample() {
        long now = System.nanoTime();
        if (now - lastSample >= SAMPLE_NANOS) {
            lastSample = now;
            peakStore = Math.max(peakStore, sampleStore() - baselineStore);
        }
    }

    private long sampleStore() {
        try {
            return weft.nodes().stream().mapToLong(NodeInfo::objectStoreUsedBytes).sum();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private DatasetStats buildStats() {
        List<OperatorStats> out = new ArrayList<>();
        for (OperatorState op : ops) {
            long wall = op.firstStartNanos < 0 ? 0 : Math.max(0, (op.lastEndNanos < 0 ? System.nanoTime() : op.lastEndNanos)
                    - op.firstStartNanos);
            java.util.Map<String, Long> counters = new java.util.TreeMap<>(op.counters);
            if (op instanceof ActorMapState a) {
                counters.put("actorsStarted", (long) a.actorsStarted());
                counters.put("actorsReleased", (long) a.actorsReleased());
            }
            out.add(new OperatorStats(op.name, wall, op.cpuNanos, op.rowsOut, op.bytesOut, op.blocksOut, op.tasks, 0,
                    op.peakActors, counters));
        }
        return new DatasetStats(out, System.nanoTime() - startNanos, Math.max(0, peakStore), globalBudget, peakInFlight);
    }

    /** The actor operator's pool size now (tests and stats). */
    public int actorPoolSize(int operatorIndex) {
        return ops.get(operatorIndex) instanceof ActorMapState a ? a.poolSize() : 0;
    }
}
