package dev.weft.engine.internal.runtime;

import dev.weft.engine.internal.scheduler.NodeScheduler;

/**
 * What the code running on a worker thread is: the node it runs on and the task (with its resource lease)
 * or actor it belongs to. Set by the worker around user code; read by get/wait (to lend resources back
 * while blocked), by submissions (parent of nested tasks, local node for placement) and by put.
 */
final class WorkerContext {
    private static final ThreadLocal<WorkerContext> CURRENT = new ThreadLocal<>();

    final LocalRuntime runtime;
    final NodeScheduler node;
    final TaskRecord task;
    /** What holds the resource lease (a task's worker slot); null for actors, which lend nothing back. */
    final dev.weft.engine.internal.scheduler.Work slot;
    final long lease;
    final ActorRecord actor;

    WorkerContext(LocalRuntime runtime, NodeScheduler node, TaskRecord task, dev.weft.engine.internal.scheduler.Work slot,
                  long lease, ActorRecord actor) {
        this.runtime = runtime;
        this.node = node;
        this.task = task;
        this.slot = slot;
        this.lease = lease;
        this.actor = actor;
    }

    static WorkerContext current() {
        return CURRENT.get();
    }

    static void set(WorkerContext context) {
        if (context == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(context);
        }
    }
}
