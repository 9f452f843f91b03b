package dev.weft.data.internal.exec;

import dev.weft.api.ObjectRef;
import dev.weft.data.internal.plan.PhysicalOp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The executor's bookkeeping for one physical operator: its input queue, running tasks and counters. Touched
 * only by the executor thread.
 */
abstract class OperatorState {
    final int index;
    final String name;
    final PhysicalOp op;
    final StreamingExecutor exec;
    final ArrayDeque<BlockRef> input = new ArrayDeque<>();
    long inputQueuedBytes;
    long inputQueuedRows;
    long inputInUseBytes;
    boolean upstreamDone;
    boolean done;
    boolean cancelled;
    final Map<ObjectRef<TaskResult>, Running> running = new IdentityHashMap<>();
    int nextTaskIndex;
    /** With an order-preserving executor: outputs of tasks that finished before an earlier-launched one. */
    private final TreeMap<Integer, List<BlockRef>> heldOutputs = new TreeMap<>();
    private long heldBytes;
    private int nextToEmit;

    // stats
    long tasks;
    long rowsOut;
    long bytesOut;
    long blocksOut;
    long cpuNanos;
    long firstStartNanos = -1;
    long lastEndNanos = -1;
    int peakActors;
    final Map<String, Long> counters = new TreeMap<>();
    long observedOutBytes;
    long observedTasks;

    /** A launched task (or actor call) and what it holds. */
    record Running(ObjectRef<TaskResult> ref, List<BlockRef> inputs, long inputBytes, long estimatedOutBytes,
                   int taskIndex, List<String> files, Object actor) {
    }

    OperatorState(int index, PhysicalOp op, StreamingExecutor exec) {
        this.index = index;
        this.op = op;
        this.name = op.name();
        this.exec = exec;
    }

    /** Starts what must run before any input arrives (actors, read task listing). */
    void start() {
    }

    /** Launches one task if input and budgets allow; returns whether it did. */
    abstract boolean tryLaunch();

    /** Periodic housekeeping (actor pool scaling). */
    void maintain() {
    }

    void addInput(BlockRef block) {
        if (cancelled) {
            exec.release(block);
            return;
        }
        input.add(block);
        inputQueuedBytes += block.sizeBytes();
        inputQueuedRows += block.numRows();
    }

    /** Takes input blocks until {@code minRows} rows are gathered (all that is left once upstream is done). */
    List<BlockRef> takeBundle(long minRows, long maxBytes) {
        if (input.isEmpty()) {
            return null;
        }
        if (!upstreamDone && inputQueuedRows < minRows && inputQueuedBytes < maxBytes) {
            return null;
        }
        List<BlockRef> bundle = new ArrayList<>();
        long rows = 0;
        long bytes = 0;
        while (!input.isEmpty() && (bundle.isEmpty() || (rows < minRows && bytes + input.peek().sizeBytes() <= maxBytes))) {
            BlockRef b = input.poll();
            bundle.add(b);
            rows += b.numRows();
            bytes += b.sizeBytes();
        }
        inputQueuedBytes -= bytes;
        inputQueuedRows -= rows;
        inputInUseBytes += bytes;
        return bundle;
    }

    long runningEstimatedBytes() {
        long s = 0;
        for (Running r : running.values()) {
            s += r.estimatedOutBytes();
        }
        return s;
    }

    /** Bytes this operator is responsible for in the store: produced but not consumed, or about to be. */
    long outstandingOutputBytes() {
        OperatorState down = exec.downstream(this);
        long queued = down == null ? exec.outputPendingBytes() : down.inputQueuedBytes;
        return queued + runningEstimatedBytes() + heldBytes;
    }

    long estimateOutput(long inputBytes) {
        if (observedTasks > 0) {
            return Math.max(1, observedOutBytes / observedTasks);
        }
        return inputBytes > 0 ? inputBytes : exec.context().targetMaxBlockSizeBytes() / 4;
    }

    void launched(Running r) {
        running.put(r.ref(), r);
        tasks++;
        if (firstStartNanos < 0) {
            firstStartNanos = System.nanoTime();
        }
        exec.watch(this, r);
    }

    /** A task finished with {@code result}; its inputs are released and its outputs passed on. */
    void completed(Running r, TaskResult result) {
        running.remove(r.ref());
        inputInUseBytes -= r.inputBytes();
        r.inputs().forEach(exec::release);
        lastEndNanos = System.nanoTime();
        cpuNanos += result.cpuNanos();
        rowsOut += result.rows();
        bytesOut += result.bytes();
        blocksOut += result.blocks().size();
        observedOutBytes += result.bytes();
        observedTasks++;
        result.counters().forEach((k, v) -> counters.merge(k, v, Long::sum));
        exec.progress(index, result.rows());
        if (result.write() != null) {
            exec.addWriteResult(result.write());
        }
        if (cancelled) {
            // Nothing takes them now, and in order they would wait for ever behind an earlier task that failed.
            result.blocks().forEach(exec::release);
            return;
        }
        if (!exec.preservesOrder()) {
            emitAll(result.blocks());
            return;
        }
        // Tasks are launched in input order: pass outputs on in task order, holding those that finished early.
        heldOutputs.put(r.taskIndex(), result.blocks());
        heldBytes += result.bytes();
        while (heldOutputs.containsKey(nextToEmit)) {
            List<BlockRef> blocks = heldOutputs.remove(nextToEmit++);
            blocks.forEach(b -> heldBytes -= b.sizeBytes());
            emitAll(blocks);
        }
    }

    private void emitAll(List<BlockRef> blocks) {
        for (BlockRef b : blocks) {
            if (cancelled) {
                exec.release(b);
            } else {
                exec.emit(this, b);
            }
        }
    }

    /**
     * Stops launching, releases queued input, and cancels launched tasks and actor calls with force: their code is
     * interrupted, so a CPU-bound UDF of a failed or abandoned job stops instead of computing on (and holding
     * the executor, which waits for every launched task) until it finishes. Their refs fail at once; what each
     * put is freed by the runtime when its code returns, which it does at its next interrupt check. Tasks that write
     * to a sink are not interrupted (see {@link #writesToSink}).
     */
    void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        // Write tasks are left to end by themselves: the sink aborts the write once every launched task has
        // reported, and a cancelled task reports at once, while its code may still be writing a file.
        for (ObjectRef<TaskResult> ref : writesToSink() ? List.<ObjectRef<TaskResult>>of() : running.keySet()) {
            try {
                exec.weft().cancel(ref, true);
            } catch (RuntimeException finishedMeanwhile) {
                // its completion is on its way to the executor, which releases its outputs as usual
            }
        }
        heldOutputs.values().forEach(blocks -> blocks.forEach(exec::release));
        heldOutputs.clear();
        heldBytes = 0;
        while (!input.isEmpty()) {
            exec.release(input.poll());
        }
        inputQueuedBytes = 0;
        inputQueuedRows = 0;
    }

    /** Whether this operator's tasks write to the dataset's sink (their files must be gone when a write aborts). */
    boolean writesToSink() {
        return false;
    }

    /**
     * Stops waiting for launched work that may never end (the progress watchdog gave up on it): cancels it with
     * force, so each ref fails at once and its completion releases what it holds.
     */
    void abandon() {
        cancel();
        for (ObjectRef<TaskResult> ref : List.copyOf(running.keySet())) {
            try {
                exec.weft().cancel(ref, true);
            } catch (RuntimeException endedMeanwhile) {
                // its completion is on its way and releases what it holds
            }
        }
    }

    boolean hasPendingWork() {
        return false;
    }

    /** CPUs one more task of this operator needs to start (0 when its work runs on already placed actors). */
    double taskCpus() {
        return 0;
    }

    boolean checkDone() {
        if (!done && (upstreamDone || cancelled) && input.isEmpty() && running.isEmpty() && (cancelled || !hasPendingWork())) {
            done = true;
            onDone();
        }
        return done;
    }

    void onDone() {
    }

    /** Resources one more task (or actor) of this operator holds; empty when it launches none. */
    Map<String, Double> demand() {
        return Map.of();
    }

    /** What this operator does or waits for now, for the progress watchdog's report. */
    String describeWork() {
        if (done) {
            return "done";
        }
        StringBuilder sb = new StringBuilder().append(running.size()).append(runningWhat());
        running.values().stream().mapToInt(Running::taskIndex).min()
                .ifPresent(oldest -> sb.append(" (oldest #").append(oldest).append(')'));
        sb.append(", ").append(input.size()).append(" input block(s) queued (").append(inputQueuedBytes)
                .append(" bytes)");
        sb.append(cancelled ? ", cancelled" : upstreamDone ? "" : ", upstream still producing");
        return sb.toString();
    }

    /** What {@link #describeWork} calls this operator's launched work. */
    String runningWhat() {
        return " task(s) running";
    }

    /** {@code cpus} and {@code gpus} as a resource demand. */
    static Map<String, Double> demandOf(double cpus, double gpus) {
        Map<String, Double> d = new TreeMap<>();
        d.put(dev.weft.api.Resources.CPU, cpus);
        if (gpus > 0) {
            d.put(dev.weft.api.Resources.GPU, gpus);
        }
        return d;
    }
}
