package dev.weft.engine.internal.runtime;

import dev.weft.api.ObjectRef;
import dev.weft.api.ObjectStoreFullException;
import dev.weft.api.TaskCancelledException;
import dev.weft.api.TaskUnschedulableException;
import dev.weft.api.WorkerCrashedException;
import dev.weft.engine.internal.objects.ObjectEntry;
import dev.weft.engine.internal.objects.ObjectValue;
import dev.weft.engine.internal.placement.LocalPlacementGroup;
import dev.weft.engine.internal.scheduler.IdleWorkers;
import dev.weft.engine.internal.scheduler.NodeScheduler;
import dev.weft.engine.internal.serial.CaptureCheck;
import dev.weft.engine.internal.serial.Encoded;
import dev.weft.engine.internal.serial.ErrorCodec;
import dev.weft.engine.internal.serial.ValueCodec;
import dev.weft.spi.CurrentRuntime;
import dev.weft.spi.TaskSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

/**
 * Tasks from submission to result: prepares arguments (refs pinned, mutable values copied through the codec),
 * waits for ref arguments, dispatches, runs the function on a virtual thread, publishes the result, and
 * handles retries, node death, cancellation and lineage rebuilds.
 */
final class TaskService {
    private static final ThreadFactory WORKERS = Thread.ofVirtual().name("weft-task").factory();

    private final LocalRuntime runtime;
    private final LocalObjects objects;

    TaskService(LocalRuntime runtime, LocalObjects objects) {
        this.runtime = runtime;
        this.objects = objects;
    }

    <T> ObjectRef<T> submit(TaskSpec spec) {
        runtime.checkOpen();
        CaptureCheck.check(spec.function());
        WorkerContext ctx = WorkerContext.current();
        if (ctx != null && ctx.runtime != runtime) {
            ctx = null;
        }
        List<ObjectEntry> pins = spec.args().length == 0 ? List.of() : new ArrayList<>(spec.args().length);
        Object[] args = spec.args().length == 0 ? spec.args() : prepareArgs(spec.args(), pins, objects);
        ObjectEntry result = objects.newEntry(false);
        TaskRecord record = new TaskRecord(this, spec, runtime.resourceIndex().vector(spec.options().resources()),
                args, pins.isEmpty() ? List.of() : pins, result, ctx == null ? null : ctx.task);
        record.strategy = spec.options().strategy();
        record.localNode = ctx != null ? ctx.node.index() : runtime.driverNode().index();
        if (spec.options().placementGroup() != null) {
            LocalPlacementGroup group = runtime.groups().own(spec.options().placementGroup());
            record.groupId = group.id();
            record.bundleIndex = spec.options().bundleIndex();
        }
        result.producer(record);
        if (ctx != null && ctx.task != null) {
            ctx.task.addChild(record);
        }
        ObjectRef<T> ref = objects.handle(result);
        dispatchWhenReady(record);
        return ref;
    }

    /** Turns user arguments into what a worker resolves: entries for refs, values or encoded copies. */
    static Object[] prepareArgs(Object[] given, List<ObjectEntry> pins, LocalObjects objects) {
        Object[] args = new Object[given.length];
        for (int i = 0; i < given.length; i++) {
            Object a = given[i];
            if (a instanceof ObjectRef<?> ref) {
                ObjectEntry e = objects.entryOf(ref);
                e.retain();
                pins.add(e);
                args[i] = e;
            } else if (ValueCodec.isImmutable(a)) {
                args[i] = a;
            } else {
                Encoded enc = objects.codec.encode(a);
                pins.addAll(enc.contained());
                args[i] = enc;
            }
        }
        return args;
    }

    private void dispatchWhenReady(TaskRecord record) {
        List<ObjectEntry> waiting = null;
        for (Object a : record.args) {
            if (a instanceof ObjectEntry e && !e.isReady()) {
                if (waiting == null) {
                    waiting = new ArrayList<>(record.args.length);
                }
                waiting.add(e);
            }
        }
        if (waiting == null) {
            runtime.dispatcher().dispatch(record);
            return;
        }
        record.pendingDeps.set(waiting.size());
        for (ObjectEntry e : waiting) {
            e.readyFuture().whenComplete((x, t) -> {
                if (record.pendingDeps.decrementAndGet() == 0) {
                    runtime.dispatcher().dispatch(record);
                }
            });
        }
    }

    /** Called on the node loop when a task is admitted: starts a worker under the slot's lease. */
    void startSlot(TaskSlot slot, NodeScheduler node, long lease) {
        runtime.running().startWorker(WORKERS, () -> runSlot(slot, node, lease));
    }

    private void runSlot(TaskSlot slot, NodeScheduler node, long lease) {
        try {
            TaskRecord record = slot.current;
            while (record != null) {
                double[] demand = record.demand();
                run(record, node, slot, lease);
                IdleWorkers.Waiter waiter = slot.waiter;
                slot.waiter = null;
                record = waiter == null ? null
                        : (TaskRecord) node.awaitHandoff(waiter, () -> slot.abandoned || runtime.isClosed());
                if (slot.abandoned || !node.alive() || runtime.isClosed()) {
                    if (record != null) {
                        runtime.dispatcher().dispatch(record); // handed over just as this worker stopped
                    }
                    break;
                }
                if (record == null) {
                    record = (TaskRecord) node.takeNextLike(demand);
                }
                if (record != null) {
                    slot.current = record;
                }
            }
        } finally {
            slot.current = null;
            node.done(slot, lease);
        }
    }

    private void run(TaskRecord record, NodeScheduler node, TaskSlot slot, long lease) {
        int attempt = record.attempt;
        if (!record.transition(TaskRecord.PENDING, TaskRecord.RUNNING)) {
            return;
        }
        record.node = node;
        if (slot.abandoned || !node.alive()) {
            // The node died between this task's admission (or hand-off) and its start, so the death found it not
            // yet running and left it to this worker: its function never ran here, so it goes back to placement on
            // a live node without spending a retry.
            if (claimDead(record, node) && record.transition(TaskRecord.RUNNING, TaskRecord.PENDING)) {
                runtime.dispatcher().dispatchLater(record);
            }
            return;
        }
        WorkerContext context = new WorkerContext(runtime, node, record, slot, lease, null);
        RunningCode.Entry code = runtime.running().enter("task", () -> record.name() + " (" + record.result.idString() + ")",
                node.nodeId());
        record.worker = context;
        record.code = code;
        if (record.state() != TaskRecord.RUNNING || record.attempt != attempt) {
            // cancelled (or taken over by a node death) after it started but before a cancel could find its code
            // to interrupt: it must not run now
            record.code = null;
            runtime.running().exit(code);
            record.worker = null;
            return;
        }
        WorkerContext.set(context);
        CurrentRuntime.bind(runtime);
        Object value = null;
        Throwable error = null;
        boolean upstream = false;
        Object[] resolved = null;
        try {
            resolved = resolveArgs(record.args, node, objects);
            try {
                value = record.spec.function().invoke(resolved);
            } catch (Throwable t) {
                error = t;
            }
        } catch (RuntimeException e) {
            error = e; // an argument failed upstream: pass its error on as it is
            upstream = true;
        } finally {
            WorkerContext.set(null);
            CurrentRuntime.bind(null);
            record.code = null;
            runtime.running().exit(code);
            record.worker = null;
        }
        if (record.groupId == null && !slot.abandoned) {
            // in line for the next task before the caller can see this one's result (and submit again)
            slot.waiter = node.lingerFor(record.demand());
        }
        try {
            finish(record, attempt, value, error, upstream, node, context);
        } finally {
            context.releaseCreated();
        }
        closeArrowArgs(record.args, resolved);
    }

    /**
     * Arrow arguments are the engine's: zero-copy roots pin their stored object, copies hold memory. They are
     * valid for the call and closed once its result is stored (a task keeps data past its call by returning it).
     */
    private static void closeArrowArgs(Object[] args, Object[] resolved) {
        if (resolved == null) {
            return;
        }
        for (int i = 0; i < resolved.length; i++) {
            if (resolved[i] instanceof org.apache.arrow.vector.VectorSchemaRoot root
                    && (args[i] instanceof ObjectEntry || args[i] instanceof Encoded)) {
                root.close();
            }
        }
    }

    static Object[] resolveArgs(Object[] args, NodeScheduler node, LocalObjects objects) {
        Object[] out = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof ObjectEntry e) {
                out[i] = objects.valueOf(e, Long.MAX_VALUE, node);
            } else if (a instanceof Encoded enc) {
                out[i] = objects.codec.decode(enc.encoding(), enc.bytes());
            } else {
                out[i] = a;
            }
        }
        return out;
    }

    private void finish(TaskRecord record, int attempt, Object value, Throwable error, boolean upstream,
                        NodeScheduler node, WorkerContext context) {
        if (record.attempt != attempt || record.state() != TaskRecord.RUNNING) {
            return; // abandoned (node died, retried elsewhere) or cancelled: this attempt's outcome is dropped
        }
        if (error != null) {
            if (!upstream && record.spec.options().retryExceptions() && record.takeRetry()) {
                record.attempt++;
                record.node = null;
                if (record.transition(TaskRecord.RUNNING, TaskRecord.PENDING)) {
                    runtime.dispatcher().dispatch(record);
                }
                return;
            }
            RuntimeException failure = upstream ? (RuntimeException) error
                    : ErrorCodec.taskFailed(record.name(), node.nodeId(), error, objects.codec.serializer());
            fail(record, TaskRecord.RUNNING, failure);
            return;
        }
        ObjectValue v;
        try {
            v = objects.encode(record.result, value, node);
        } catch (ObjectStoreFullException e) {
            fail(record, TaskRecord.RUNNING, new ObjectStoreFullException("the result of " + record.describe()
                    + " cannot be stored on " + node.nodeId() + ": " + e.getMessage(), e));
            return;
        } catch (RuntimeException e) {
            fail(record, TaskRecord.RUNNING, ErrorCodec.taskFailed(record.name(), e, objects.codec.serializer()));
            return;
        }
        // the result is encoded, so refs it holds are borrowed by the owner: the task's own handles can go
        // now, before the caller sees the result
        context.releaseCreated();
        if (!record.transition(TaskRecord.RUNNING, TaskRecord.DONE)) {
            objects.discard(record.result, v, node);
            return;
        }
        objects.complete(record.result, v);
        if (!(v instanceof ObjectValue.Stored)) {
            // held by the owner: it can't be lost, so the lineage (and the arguments it pins) can go
            record.result.producer(null);
            if (record.releasePins()) {
                objects.releaseAll(record.pins);
            }
        }
    }

    /** Ends the task with {@code error} if it is still in state {@code from}; returns whether this call did. */
    boolean fail(TaskRecord record, int from, RuntimeException error) {
        if (!record.transition(from, error instanceof TaskCancelledException ? TaskRecord.CANCELLED : TaskRecord.DONE)) {
            return false;
        }
        record.result.producer(null);
        objects.complete(record.result, new ObjectValue.Failed(error));
        if (record.releasePins()) {
            objects.releaseAll(record.pins);
        }
        return true;
    }

    /** The node the task ran or queued on died (called on that node's loop). */
    void abandoned(TaskRecord record, NodeScheduler node, boolean wasRunning) {
        if (!wasRunning) {
            if (record.state() == TaskRecord.PENDING) {
                runtime.dispatcher().dispatchLater(record);
            }
            return;
        }
        // Read before the attempt moves on: after that, the code found here could be the retry's.
        RunningCode.Entry code = record.code;
        // Not running here (yet): a task admitted but not started is left to its worker, which sees the dead node.
        if (!claimDead(record, node)) {
            return;
        }
        if (record.takeRetry()) {
            if (record.transition(TaskRecord.RUNNING, TaskRecord.PENDING)) {
                runtime.dispatcher().dispatchLater(record);
            }
        } else {
            Thread.ofVirtual().start(() -> fail(record, TaskRecord.RUNNING, new WorkerCrashedException(record.describe()
                    + " was running on " + node.nodeId() + ", which died, and has no retries left (maxRetries="
                    + record.spec.options().maxRetries() + ")")));
        }
        if (code != null) {
            code.interrupt();
        }
    }

    /**
     * Takes over the attempt of {@code record} running on {@code node}, which died: false if the task is not
     * running there, or if the node's death and the task's own worker both noticed and the other one took it.
     * The attempt number moves on, so the abandoned worker's outcome never becomes the result.
     */
    private static boolean claimDead(TaskRecord record, NodeScheduler node) {
        synchronized (record) {
            if (record.state() != TaskRecord.RUNNING || record.node != node) {
                return false;
            }
            record.node = null;
            record.attempt++;
            return true;
        }
    }

    void rejected(TaskRecord record, String reason) {
        Thread.ofVirtual().start(() -> fail(record, TaskRecord.PENDING,
                new TaskUnschedulableException(record.describe() + " cannot run: " + reason)));
    }

    /** Runs a finished task again because its stored result was lost with its node (lineage reconstruction). */
    boolean rebuild(TaskRecord record) {
        if (!record.transition(TaskRecord.DONE, TaskRecord.PENDING)) {
            return false;
        }
        record.attempt++;
        record.node = null;
        record.result.reset();
        dispatchWhenReady(record);
        return true;
    }

    void cancel(ObjectEntry entry, boolean force, boolean recursive) {
        if (entry.producer() instanceof TaskRecord record) {
            cancel(record, force, recursive);
        } else if (entry.producer() instanceof ActorCall call) {
            runtime.actors().cancel(call, force);
        }
    }

    private void cancel(TaskRecord record, boolean force, boolean recursive) {
        // The task itself first, its children after: a parent waiting on a child's result would otherwise see the
        // child's cancellation first, and end as failed by it rather than as cancelled.
        TaskCancelledException error = new TaskCancelledException(record.describe() + " was cancelled"
                + (force ? " (forced)" : ""));
        if (record.state() == TaskRecord.PENDING) {
            fail(record, TaskRecord.PENDING, error);
        }
        RunningCode.Entry stopped = null;
        if (record.state() == TaskRecord.RUNNING) {
            // read before the failure: once the task is no longer RUNNING its worker may move on to other code
            RunningCode.Entry code = record.code;
            if (fail(record, TaskRecord.RUNNING, error) && force) {
                stopped = code != null ? code : record.code;
            }
        }
        if (recursive) {
            for (TaskRecord child : record.children()) {
                cancel(child, force, true);
            }
        }
        stop(record, stopped);
    }

    /**
     * Interrupts the code of a forcibly cancelled task and gives its resources back to its node now, whether or
     * not the code heeds the interrupt: the caller has its answer, and the node's CPU is free for queued work. The
     * worker stops after this task instead of running the next one under the lease it no longer holds. A task
     * whose code was not registered yet sees its cancellation when it registers, and never runs.
     */
    private static void stop(TaskRecord record, RunningCode.Entry code) {
        if (code == null) {
            return;
        }
        code.interrupt(() -> {
            // while the code has not ended, its worker is still on this task under this lease
            WorkerContext worker = record.worker;
            if (worker != null && worker.task == record && worker.slot instanceof TaskSlot slot) {
                slot.abandoned = true;
                worker.node.done(slot, worker.lease);
            }
        });
    }

    /** Interrupts a running task (group removed, runtime closing). */
    void interrupt(TaskRecord record, String why) {
        RunningCode.Entry code = record.code;
        if (fail(record, TaskRecord.RUNNING, new TaskCancelledException(record.describe() + " was stopped: " + why))
                && code != null) {
            code.interrupt();
        }
    }

    Map<String, Long> argumentBytesByNode(TaskRecord record) {
        Map<String, Long> bytes = null;
        for (Object a : record.args) {
            if (a instanceof ObjectEntry e && e.value() instanceof ObjectValue.Stored s) {
                if (bytes == null) {
                    bytes = new HashMap<>();
                }
                bytes.merge(runtime.node(s.node()).nodeId(), s.size(), Long::sum);
            }
        }
        return bytes == null ? Map.of() : bytes;
    }
}
