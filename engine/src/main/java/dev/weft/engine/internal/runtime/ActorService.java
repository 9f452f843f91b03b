package dev.weft.engine.internal.runtime;

import dev.weft.api.ActorDiedException;
import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.ObjectStoreFullException;
import dev.weft.api.TaskCancelledException;
import dev.weft.engine.internal.actors.LocalActorHandle;
import dev.weft.engine.internal.objects.ObjectEntry;
import dev.weft.engine.internal.objects.ObjectValue;
import dev.weft.engine.internal.placement.LocalPlacementGroup;
import dev.weft.engine.internal.scheduler.NodeScheduler;
import dev.weft.engine.internal.serial.CaptureCheck;
import dev.weft.engine.internal.serial.ErrorCodec;
import dev.weft.spi.ActorCallSpec;
import dev.weft.spi.ActorSpec;
import dev.weft.spi.CurrentRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Actors: creation (placed like a task, holding its resources for its life), the mailbox and its executor
 * virtual thread (calls run in submission order, or up to {@code maxConcurrency} at once), names, kill,
 * restarts after death up to {@code maxRestarts}, and retries of interrupted calls up to {@code maxTaskRetries}.
 */
final class ActorService {
    private final LocalRuntime runtime;
    private final LocalObjects objects;
    private final ConcurrentHashMap<String, ActorRecord> actors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ActorRecord> named = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    ActorService(LocalRuntime runtime, LocalObjects objects) {
        this.runtime = runtime;
        this.objects = objects;
    }

    <A> ActorHandle<A> create(ActorSpec spec) {
        runtime.checkOpen();
        CaptureCheck.check(spec.constructor());
        String name = spec.options().name();
        String id = "actor-" + ids.incrementAndGet();
        LocalActorHandle<A> handle = new LocalActorHandle<>(id, name, runtime);
        List<ObjectEntry> pins = new ArrayList<>(0);
        Object[] args = TaskService.prepareArgs(spec.args(), pins, objects);
        WorkerContext ctx = WorkerContext.current();
        int local = ctx != null && ctx.runtime == runtime ? ctx.node.index() : runtime.driverNode().index();
        ActorRecord record = new ActorRecord(id, spec, handle, runtime.resourceIndex().vector(spec.options().resources()),
                args, pins, local);
        if (name != null) {
            ActorRecord existing = named.putIfAbsent(name, record);
            if (existing != null) {
                objects.releaseAll(pins);
                throw new IllegalArgumentException("actor name '" + name + "' is already taken by live actor "
                        + existing.id);
            }
        }
        actors.put(id, record);
        place(record);
        return handle;
    }

    private void place(ActorRecord record) {
        ActorRecord.Lease lease;
        synchronized (record) {
            lease = new ActorRecord.Lease(record, record.generation, this);
            record.lease = lease;
            record.node = null;
        }
        lease.strategy = record.spec.options().strategy();
        lease.localNode = record.localNode;
        if (record.spec.options().placementGroup() != null) {
            LocalPlacementGroup group = runtime.groups().own(record.spec.options().placementGroup());
            lease.groupId = group.id();
            lease.bundleIndex = record.spec.options().bundleIndex();
        }
        runtime.dispatcher().dispatch(lease);
    }

    /** On the node loop: the actor's lease was granted. */
    void started(ActorRecord.Lease lease, NodeScheduler node, long leaseId) {
        ActorRecord record = lease.actor;
        synchronized (record) {
            if (!lease.current()) {
                node.done(lease, leaseId);
                return;
            }
            record.node = node;
            record.leaseId = leaseId;
        }
        runtime.running().startWorker(Thread.ofVirtual().name("weft-actor-" + record.id).factory(),
                () -> runExecutor(record, lease.generation, node));
    }

    /** One of the {@code maxConcurrency} executors of a concurrent actor: takes calls as permits say they are queued. */
    private void runConcurrentExecutor(ActorRecord record, int generation, NodeScheduler node, Object instance,
                                       ActorLifeRefs refs) {
        record.executors.add(Thread.currentThread());
        CurrentRuntime.bind(runtime);
        WorkerContext.set(new WorkerContext(runtime, node, record, refs));
        try {
            while (record.generation == generation) {
                try {
                    record.queuedCalls.acquire();
                } catch (InterruptedException e) {
                    continue;
                }
                ActorCall call = record.mailbox.pollFirst();
                if (call != null) {
                    runCall(record, call, generation, node, instance);
                }
            }
        } finally {
            record.executors.remove(Thread.currentThread());
            WorkerContext.set(null);
            CurrentRuntime.bind(null);
            refs.releaseAll();
        }
    }

    private void runExecutor(ActorRecord record, int generation, NodeScheduler node) {
        // Under the record's lock: an executor of a life that already ended (killed before its thread ran) must not
        // overwrite the next life's executor, or submitters would wake a finished thread and calls would hang.
        synchronized (record) {
            if (record.generation != generation) {
                return;
            }
            record.executor = Thread.currentThread();
        }
        // What this life's code holds dies with it: its handles are released once its executors stop.
        ActorLifeRefs refs = new ActorLifeRefs();
        CurrentRuntime.bind(runtime);
        WorkerContext.set(new WorkerContext(runtime, node, record, refs));
        try {
            Object instance;
            RunningCode.Entry code = runtime.running().enter("actor constructor", record::describe, node.nodeId());
            try {
                if (record.generation != generation) {
                    return; // killed before its constructor ran
                }
                instance = record.spec.constructor().invoke(TaskService.resolveArgs(record.ctorArgs, node, objects));
            } catch (Throwable t) {
                if (record.generation == generation) {
                    died(record.lease, "its constructor failed", ErrorCodec.taskFailed(record.spec.displayName(),
                            node.nodeId(), t, objects.codec.serializer()));
                }
                return;
            } finally {
                runtime.running().exit(code);
            }
            synchronized (record) {
                if (record.generation != generation) {
                    return;
                }
                record.instance = instance;
                record.state = ActorRecord.ALIVE;
            }
            if (record.concurrency != null) {
                // calls queued before the actor was alive already released their permits
                for (int i = 1; i < record.spec.options().maxConcurrency(); i++) {
                    runtime.running().startWorker(Thread.ofVirtual().name("weft-actor-" + record.id).factory(),
                            () -> runConcurrentExecutor(record, generation, node, instance, refs));
                }
                runConcurrentExecutor(record, generation, node, instance, refs);
                return;
            }
            while (record.generation == generation) {
                ActorCall call = record.mailbox.pollFirst();
                if (call == null) {
                    // A caller waiting on the previous call's result usually sends the next one within microseconds:
                    // catching it spinning saves the park/unpark pair (two scheduler hops for a virtual thread).
                    if (Spin.until(() -> !record.mailbox.isEmpty() || record.generation != generation,
                            Spin.MAILBOX_NANOS)) {
                        continue;
                    }
                    Thread me = Thread.currentThread();
                    // Register without overwriting another executor's registration: an executor of an ended life
                    // that reaches this point late would otherwise replace the next life's, clear it again below,
                    // and leave the parked new executor unreachable by wake() (calls after a restart hung).
                    if (!record.parkedExecutor.compareAndSet(null, me)) {
                        if (record.generation != generation) {
                            continue;
                        }
                        record.parkedExecutor.set(me); // take over from an ended life's executor, which never parks
                    }
                    if (record.mailbox.isEmpty() && record.generation == generation) {
                        LockSupport.park(record);
                    }
                    record.parkedExecutor.compareAndSet(me, null);
                    Thread.interrupted();
                    continue;
                }
                runCall(record, call, generation, node, instance);
            }
        } finally {
            WorkerContext.set(null);
            CurrentRuntime.bind(null);
            refs.releaseAll();
        }
    }

    private void runCall(ActorRecord record, ActorCall call, int generation, NodeScheduler node, Object instance) {
        if (!call.transition(ActorCall.QUEUED, ActorCall.RUNNING)) {
            return; // cancelled while queued
        }
        if (record.generation != generation) {
            // this executor's life ended after it polled the call (a call submitted after the death must not
            // run on the dead instance): hand it back, first in line, to the next life
            if (call.transition(ActorCall.RUNNING, ActorCall.QUEUED)) {
                record.mailbox.offerFirst(call);
                record.wake();
            }
            return;
        }
        int attempt = call.attempt;
        RunningCode.Entry code = runtime.running().enter("actor call",
                () -> call.spec.displayName() + " on actor " + record.describe(), node.nodeId());
        call.code = code;
        record.running.add(call);
        Object value = null;
        Throwable error = null;
        boolean upstream = false;
        try {
            if (call.state() != ActorCall.RUNNING) {
                return; // cancelled after it started but before a cancel could find its code to interrupt
            }
            Object[] resolved = TaskService.resolveArgs(call.args, node, objects);
            Object[] full = new Object[resolved.length + 1];
            full[0] = instance;
            System.arraycopy(resolved, 0, full, 1, resolved.length);
            try {
                value = call.spec.method().invoke(full);
            } catch (Throwable t) {
                error = t;
            }
        } catch (RuntimeException e) {
            error = e;
            upstream = true;
        } finally {
            record.running.remove(call);
            call.code = null;
            runtime.running().exit(code);
        }
        if (call.attempt != attempt || call.state() != ActorCall.RUNNING) {
            return;
        }
        if (record.generation != generation) {
            // the actor's life ended under this call (kill or node death): its outcome is not the call's result
            String why = record.lastLifeEnded;
            abandonCall(record, call, record.state != ActorRecord.DEAD, "it died while running the call"
                    + (why == null ? "" : " (" + why + ")"), record.deathCause);
            return;
        }
        if (error != null) {
            fail(call, ActorCall.RUNNING, upstream ? (RuntimeException) error
                    : ErrorCodec.taskFailed(call.spec.displayName(), node.nodeId(), error, objects.codec.serializer()));
            return;
        }
        ObjectValue v;
        try {
            v = objects.encode(call.result, value, node);
        } catch (ObjectStoreFullException e) {
            fail(call, ActorCall.RUNNING, new ObjectStoreFullException("the result of " + call.spec.displayName()
                    + " cannot be stored on " + node.nodeId() + ": " + e.getMessage(), e));
            return;
        } catch (RuntimeException e) {
            fail(call, ActorCall.RUNNING, ErrorCodec.taskFailed(call.spec.displayName(), e, objects.codec.serializer()));
            return;
        }
        if (call.transition(ActorCall.RUNNING, ActorCall.DONE)) {
            objects.complete(call.result, v);
            call.result.producer(null);
            objects.releaseAll(call.pins);
        } else {
            objects.discard(call.result, v, node);
        }
    }

    /** A running call lost its actor: queue it again for the next life if it may retry, else fail it. */
    private void abandonCall(ActorRecord record, ActorCall call, boolean restart, String reason, RuntimeException cause) {
        if (restart && call.retriesLeft != 0) {
            if (call.transition(ActorCall.RUNNING, ActorCall.QUEUED)) {
                call.takeRetry();
                call.attempt++;
                record.mailbox.offerFirst(call);
                record.wake();
            }
        } else {
            fail(call, ActorCall.RUNNING, new ActorDiedException("actor " + record.describe() + " died while running "
                    + call.spec.displayName() + ": " + reason, cause));
        }
    }

    private boolean fail(ActorCall call, int from, RuntimeException error) {
        if (call.transition(from, ActorCall.DONE)) {
            call.result.producer(null);
            objects.complete(call.result, new ObjectValue.Failed(error));
            objects.releaseAll(call.pins);
            return true;
        }
        return false;
    }

    <R> ObjectRef<R> submitCall(ActorHandle<?> handle, ActorCallSpec spec) {
        runtime.checkOpen();
        ActorRecord record = own(handle);
        CaptureCheck.check(spec.method());
        List<ObjectEntry> pins = new ArrayList<>(0);
        Object[] args = TaskService.prepareArgs(spec.args(), pins, objects);
        ObjectEntry result = objects.newEntry(false);
        ActorCall call = new ActorCall(record, spec, args, pins.isEmpty() ? List.of() : pins, result,
                record.spec.options().maxTaskRetries());
        result.producer(call);
        ObjectRef<R> ref = objects.handle(result);
        if (record.state == ActorRecord.DEAD) {
            fail(call, ActorCall.QUEUED, deathError(record));
            return ref;
        }
        record.mailbox.offer(call);
        if (record.state == ActorRecord.DEAD) {
            failMailbox(record);
        } else {
            record.wake();
        }
        return ref;
    }

    private ActorRecord own(ActorHandle<?> handle) {
        if (!(handle instanceof LocalActorHandle<?> local) || local.runtime() != runtime) {
            throw new IllegalArgumentException("actor " + (handle == null ? "null" : handle.actorId())
                    + " belongs to another Weft runtime");
        }
        ActorRecord record = actors.get(handle.actorId());
        if (record == null) {
            throw new ActorDiedException("actor " + handle.actorId() + " is unknown to this runtime (it died and was forgotten)");
        }
        return record;
    }

    private static ActorDiedException deathError(ActorRecord record) {
        RuntimeException cause = record.deathCause;
        return cause instanceof ActorDiedException d ? d
                : new ActorDiedException("actor " + record.describe() + " is dead", cause);
    }

    private void failMailbox(ActorRecord record) {
        ActorCall call;
        while ((call = record.mailbox.poll()) != null) {
            fail(call, ActorCall.QUEUED, deathError(record));
        }
    }

    void kill(ActorHandle<?> handle, boolean noRestart) {
        ActorRecord record = own(handle);
        died(record.lease, "killed by kill(noRestart=" + noRestart + ")", null, noRestart);
    }

    void died(ActorRecord.Lease lease, String reason, RuntimeException cause) {
        died(lease, reason, cause, cause != null);
    }

    /** Ends the actor's current life; restarts it when allowed and restarts are left, else it is dead for good. */
    private void died(ActorRecord.Lease lease, String reason, RuntimeException cause, boolean noRestart) {
        Boolean restart = endLife(lease, reason, cause, noRestart);
        if (restart != null) {
            afterLife(lease.actor, restart, reason, cause);
        }
    }

    /**
     * The actor's node died (called on that node's loop, which must not block): the life ends before the kill
     * returns, so no call submitted afterwards can reach the dead instance; calls are failed or re-queued and
     * the restart placed on a virtual thread.
     */
    void nodeDied(ActorRecord.Lease lease, String reason) {
        Boolean restart = endLife(lease, reason, null, false);
        if (restart != null) {
            Thread.ofVirtual().start(() -> afterLife(lease.actor, restart, reason, null));
        }
    }

    /** Ends the lease's life under the record's lock; whether it restarts, or null when the life already ended. */
    private Boolean endLife(ActorRecord.Lease lease, String reason, RuntimeException cause, boolean noRestart) {
        if (lease == null) {
            return null;
        }
        ActorRecord record = lease.actor;
        boolean restart;
        synchronized (record) {
            if (!lease.current() || record.lease != lease) {
                return null;
            }
            record.lastLifeEnded = reason;
            record.generation++;
            NodeScheduler node = record.node;
            if (node != null) {
                node.done(lease, record.leaseId);
            }
            record.node = null;
            record.instance = null;
            Thread executor = record.executor;
            record.executor = null;
            if (executor != null) {
                executor.interrupt();
            }
            restart = !noRestart && record.restartsLeft != 0 && !runtime.isClosed();
            if (restart && record.restartsLeft > 0) {
                record.restartsLeft--;
            }
            if (!restart) {
                record.state = ActorRecord.DEAD;
                String restarts = record.spec.options().maxRestarts() == 0 ? ""
                        : " after " + record.spec.options().maxRestarts() + " restarts";
                record.deathCause = new ActorDiedException("actor " + record.describe() + " died" + restarts + ": "
                        + reason, cause);
                if (record.spec.options().name() != null) {
                    named.remove(record.spec.options().name(), record);
                }
            } else {
                record.state = ActorRecord.CREATING;
            }
        }
        return restart;
    }

    private void afterLife(ActorRecord record, boolean restart, String reason, RuntimeException cause) {
        for (ActorCall call : List.copyOf(record.running)) {
            RunningCode.Entry code = call.code; // before a retry can run the call again with code of its own
            abandonCall(record, call, restart, reason, cause);
            if (code != null) {
                code.interrupt();
            }
        }
        for (Thread t : List.copyOf(record.executors)) {
            t.interrupt();
        }
        if (restart) {
            place(record);
        } else {
            failMailbox(record);
            objects.releaseAll(record.ctorPins);
        }
    }

    void cancel(ActorCall call, boolean force) {
        TaskCancelledException error = new TaskCancelledException(call.describe() + " was cancelled");
        if (call.state() == ActorCall.QUEUED) {
            fail(call, ActorCall.QUEUED, error);
        } else if (force && call.state() == ActorCall.RUNNING) {
            RunningCode.Entry code = call.code; // before the failure, after which its thread may run the next call
            if (fail(call, ActorCall.RUNNING, error)) {
                code = code != null ? code : call.code; // registered meanwhile: it sees the failure, and never runs
                if (code != null) {
                    code.interrupt();
                }
            }
        }
    }

    <A> Optional<ActorHandle<A>> byName(String name) {
        ActorRecord r = named.get(name);
        @SuppressWarnings("unchecked")
        ActorHandle<A> h = r == null || r.state == ActorRecord.DEAD ? null : (ActorHandle<A>) r.handle;
        return Optional.ofNullable(h);
    }

    ActorHandle<?> byId(String id) {
        ActorRecord r = actors.get(id);
        return r != null ? r.handle : new LocalActorHandle<>(id, null, runtime);
    }

    /** Kills the actors of a removed placement group. */
    void killInGroup(String groupId) {
        for (ActorRecord r : actors.values()) {
            ActorRecord.Lease l = r.lease;
            if (l != null && groupId.equals(l.groupId) && r.state != ActorRecord.DEAD) {
                died(l, "its placement group " + groupId + " was removed", null, true);
            }
        }
    }

    /** Kills every actor (the runtime is closing); returns how many were alive. */
    int killAll() {
        int alive = 0;
        for (ActorRecord r : actors.values()) {
            if (r.state != ActorRecord.DEAD) {
                alive++;
                died(r.lease, "the runtime closed", null, true);
            }
        }
        return alive;
    }
}
