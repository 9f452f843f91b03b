package dev.weft.engine.internal.runtime;

import dev.weft.engine.internal.actors.LocalActorHandle;
import dev.weft.engine.internal.objects.ObjectEntry;
import dev.weft.engine.internal.scheduler.NodeScheduler;
import dev.weft.engine.internal.scheduler.Work;
import dev.weft.spi.ActorSpec;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * An actor's state across restarts. Each life (generation) holds a {@link Lease} on a node for the actor's
 * resources and has one executor virtual thread draining the mailbox. State changes (death, restart) happen
 * under the record's monitor; the call path (enqueue, run) is lock-free.
 */
final class ActorRecord {
    static final int CREATING = 0;
    static final int ALIVE = 1;
    static final int DEAD = 2;

    final String id;
    final ActorSpec spec;
    final LocalActorHandle<?> handle;
    final double[] demand;
    final Object[] ctorArgs;
    final List<ObjectEntry> ctorPins;
    final ConcurrentLinkedDeque<ActorCall> mailbox = new ConcurrentLinkedDeque<>();
    final Set<ActorCall> running = ConcurrentHashMap.newKeySet();
    final int localNode;

    volatile int state = CREATING;
    volatile int generation;
    volatile int restartsLeft;
    volatile Object instance;
    volatile NodeScheduler node;
    volatile Lease lease;
    volatile long leaseId;
    final java.util.concurrent.Semaphore concurrency;
    volatile Thread executor;
    /**
     * The executor parked (or about to park) on an empty mailbox, or null. A reference to the thread rather than a
     * flag: an executor of an ended life clears only its own entry, never the next life's (a shared flag cleared
     * late by the old executor lost the new one's wake-up).
     */
    final java.util.concurrent.atomic.AtomicReference<Thread> parkedExecutor = new java.util.concurrent.atomic.AtomicReference<>();
    /** For maxConcurrency > 1: one permit per queued call; the executors of the current life take them. */
    final java.util.concurrent.Semaphore queuedCalls = new java.util.concurrent.Semaphore(0);
    /** For maxConcurrency > 1: the executor threads of the current life. */
    final Set<Thread> executors = ConcurrentHashMap.newKeySet();
    volatile RuntimeException deathCause;
    /** Why the last life ended (a node's death, a kill, a crash), for calls that notice it late. */
    volatile String lastLifeEnded;

    ActorRecord(String id, ActorSpec spec, LocalActorHandle<?> handle, double[] demand, Object[] ctorArgs,
                List<ObjectEntry> ctorPins, int localNode) {
        this.id = id;
        this.spec = spec;
        this.handle = handle;
        this.demand = demand;
        this.ctorArgs = ctorArgs;
        this.ctorPins = ctorPins;
        this.restartsLeft = spec.options().maxRestarts();
        this.localNode = localNode;
        int max = spec.options().maxConcurrency();
        this.concurrency = max > 1 ? new java.util.concurrent.Semaphore(max) : null;
    }

    String describe() {
        return id + " (" + spec.displayName() + ")";
    }

    /** Wakes the executor if it is parked waiting for calls. */
    void wake() {
        if (concurrency != null) {
            queuedCalls.release();
            return;
        }
        Thread t = parkedExecutor.get();
        if (t != null) {
            java.util.concurrent.locks.LockSupport.unpark(t);
        }
    }

    /** The node lease of one generation of the actor. */
    static final class Lease extends Work {
        final ActorRecord actor;
        final int generation;
        final ActorService service;

        Lease(ActorRecord actor, int generation, ActorService service) {
            super(actor.demand);
            this.actor = actor;
            this.generation = generation;
            this.service = service;
        }

        boolean current() {
            return actor.generation == generation && actor.state != DEAD;
        }

        @Override
        protected void start(NodeScheduler node, long lease) {
            service.started(this, node, lease);
        }

        @Override
        protected boolean isCancelled() {
            return !current();
        }

        @Override
        protected void abandoned(NodeScheduler node, boolean wasRunning) {
            service.nodeDied(this, "its node " + node.nodeId() + " died");
        }

        @Override
        protected void rejected(String reason) {
            Thread.ofVirtual().start(() -> service.died(this, reason, null));
        }

        @Override
        public boolean awaitingPlacement() {
            return current() && actor.lease == this && actor.node == null;
        }

        @Override
        public void unschedulable(RuntimeException error) {
            service.died(this, error.getMessage(), error);
        }

        @Override
        public String describe() {
            return "actor " + actor.describe();
        }
    }
}
