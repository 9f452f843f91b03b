package dev.weft.engine.internal.runtime;

import dev.weft.engine.internal.objects.ObjectEntry;
import dev.weft.engine.internal.scheduler.NodeScheduler;
import dev.weft.engine.internal.scheduler.Work;
import dev.weft.spi.TaskSpec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One submitted task across its attempts: the spec, prepared arguments (pinned until the task no longer
 * needs them: after it finished, or, when its result lives in a node store, until that result is freed so
 * it can be rebuilt), the result entry and the state machine PENDING → RUNNING → DONE | CANCELLED, where a
 * retry moves RUNNING back to PENDING with a new attempt number so a late finish of the old attempt is ignored.
 */
final class TaskRecord extends Work {
    static final int PENDING = 0;
    static final int RUNNING = 1;
    static final int DONE = 2;
    static final int CANCELLED = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(TaskRecord.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final TaskService service;
    final TaskSpec spec;
    final Object[] args;
    final List<ObjectEntry> pins;
    final ObjectEntry result;
    final TaskRecord parent;
    private volatile int state;
    volatile int attempt;
    volatile int retriesLeft;
    /** The code of the running attempt, for interrupts; null while none runs. */
    volatile RunningCode.Entry code;
    /** The worker of the running (or last) attempt: its node, slot and lease. */
    volatile WorkerContext worker;
    volatile NodeScheduler node;
    final AtomicInteger pendingDeps = new AtomicInteger();
    private List<TaskRecord> children;
    private volatile boolean pinsReleased;
    private String name;

    TaskRecord(TaskService service, TaskSpec spec, double[] demand, Object[] args, List<ObjectEntry> pins,
               ObjectEntry result, TaskRecord parent) {
        super(demand);
        this.service = service;
        this.spec = spec;
        this.args = args;
        this.pins = pins;
        this.result = result;
        this.parent = parent;
        this.retriesLeft = spec.options().maxRetries();
    }

    String name() {
        String n = name;
        if (n == null) {
            n = spec.displayName();
            name = n;
        }
        return n;
    }

    int state() {
        return state;
    }

    boolean transition(int from, int to) {
        return STATE.compareAndSet(this, from, to);
    }

    synchronized void addChild(TaskRecord child) {
        if (children == null) {
            children = new ArrayList<>(4);
        }
        children.add(child);
    }

    synchronized List<TaskRecord> children() {
        return children == null ? List.of() : List.copyOf(children);
    }

    /** Drops the argument pins once; returns whether this call did. */
    boolean releasePins() {
        if (pinsReleased) {
            return false;
        }
        synchronized (this) {
            if (pinsReleased) {
                return false;
            }
            pinsReleased = true;
        }
        return true;
    }

    /** Takes one retry; false when none are left (-1 means unlimited). */
    boolean takeRetry() {
        int left = retriesLeft;
        if (left == 0) {
            return false;
        }
        if (left > 0) {
            retriesLeft = left - 1;
        }
        return true;
    }

    @Override
    protected Work holder() {
        return new TaskSlot(service, this);
    }

    @Override
    protected boolean reusesLease() {
        return groupId == null;
    }

    @Override
    protected void start(NodeScheduler node, long lease) {
        throw new IllegalStateException(describe() + " runs through a TaskSlot");
    }

    @Override
    protected boolean isCancelled() {
        return state == CANCELLED || state == DONE;
    }

    @Override
    protected void abandoned(NodeScheduler node, boolean wasRunning) {
        service.abandoned(this, node, wasRunning);
    }

    @Override
    protected void rejected(String reason) {
        service.rejected(this, reason);
    }

    @Override
    public boolean awaitingPlacement() {
        return state == PENDING;
    }

    @Override
    public void unschedulable(RuntimeException error) {
        service.fail(this, PENDING, error);
    }

    @Override
    public Map<String, Long> argumentBytesByNode() {
        return service.argumentBytesByNode(this);
    }

    @Override
    public String describe() {
        return "task " + name() + " (" + result.idString() + ")";
    }
}
