package dev.weft.engine.internal.runtime;

import dev.weft.engine.internal.scheduler.IdleWorkers;
import dev.weft.engine.internal.scheduler.NodeScheduler;
import dev.weft.engine.internal.scheduler.Work;

/**
 * A worker's resource lease on a node: admitted for one task, it runs that task and then, while tasks of the
 * same demand are queued, the next ones, without going back through the node's loop.
 */
final class TaskSlot extends Work {
    private final TaskService service;
    volatile TaskRecord current;
    volatile boolean abandoned;
    /** The worker's place in its node's line for handed work, between a task's end and the next (worker only). */
    IdleWorkers.Waiter waiter;

    TaskSlot(TaskService service, TaskRecord first) {
        super(first.demand());
        this.service = service;
        this.current = first;
        this.groupId = first.groupId;
        this.bundleIndex = first.bundleIndex;
    }

    @Override
    protected void start(NodeScheduler node, long lease) {
        service.startSlot(this, node, lease);
    }

    @Override
    protected boolean isCancelled() {
        return false;
    }

    @Override
    protected void abandoned(NodeScheduler node, boolean wasRunning) {
        abandoned = true;
        TaskRecord r = current;
        if (r != null) {
            service.abandoned(r, node, true);
        }
    }

    @Override
    protected void rejected(String reason) {
        TaskRecord r = current;
        if (r != null) {
            service.rejected(r, reason);
        }
    }

    @Override
    public boolean awaitingPlacement() {
        return false;
    }

    @Override
    public void unschedulable(RuntimeException error) {
        TaskRecord r = current;
        if (r != null) {
            r.unschedulable(error);
        }
    }

    @Override
    public String describe() {
        TaskRecord r = current;
        return "worker slot" + (r == null ? "" : " running " + r.describe());
    }
}
