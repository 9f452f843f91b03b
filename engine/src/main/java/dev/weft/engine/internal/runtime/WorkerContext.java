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
    /**
     * Handles a plain task made on its own thread (puts, submissions, refs decoded from values). The task's
     * code is over once it returns, so they are released when its result is stored instead of whenever the
     * JVM collects them: until then they kept their objects in the store. Actors keep theirs (actor state
     * may hold them), so this is null for actor calls: their handles go to {@link #actorRefs}.
     */
    private java.util.List<dev.weft.engine.internal.objects.LocalObjectRef<?>> created;
    /** For actor code: the handles of the actor's current life, released when that life ends. */
    private final ActorLifeRefs actorRefs;

    WorkerContext(LocalRuntime runtime, NodeScheduler node, TaskRecord task, dev.weft.engine.internal.scheduler.Work slot,
                  long lease, ActorRecord actor) {
        this(runtime, node, task, slot, lease, actor, null);
    }

    /** The context of an actor's code in the life whose handles {@code actorRefs} collects. */
    WorkerContext(LocalRuntime runtime, NodeScheduler node, ActorRecord actor, ActorLifeRefs actorRefs) {
        this(runtime, node, null, null, 0, actor, actorRefs);
    }

    private WorkerContext(LocalRuntime runtime, NodeScheduler node, TaskRecord task,
                          dev.weft.engine.internal.scheduler.Work slot, long lease, ActorRecord actor,
                          ActorLifeRefs actorRefs) {
        this.runtime = runtime;
        this.node = node;
        this.task = task;
        this.slot = slot;
        this.lease = lease;
        this.actor = actor;
        this.actorRefs = actorRefs;
    }

    void track(dev.weft.engine.internal.objects.LocalObjectRef<?> ref) {
        if (actor != null) {
            if (actorRefs != null) {
                actorRefs.add(ref);
            }
            return;
        }
        if (task == null) {
            return;
        }
        if (created == null) {
            created = new java.util.ArrayList<>();
        }
        created.add(ref);
    }

    /** Closes the tracked handles (refs the result holds were borrowed by the owner when it was encoded). */
    void releaseCreated() {
        java.util.List<dev.weft.engine.internal.objects.LocalObjectRef<?>> refs = created;
        created = null;
        if (refs != null) {
            for (var r : refs) {
                r.close();
            }
        }
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
