package dev.weft.engine.internal.scheduler;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Workers of one node that finished their task and keep their resource lease for a short while, waiting for
 * the next task of the same demand (as a Ray worker lease is kept for reuse). A submitter hands work straight
 * to one of them: no trip through the node's loop and no new thread, which is what makes a submit-then-get
 * round trip cheap. A worker that gets nothing within its linger time gives its lease back as usual.
 *
 * <p>Thread-safe and lock-free: each waiting worker has one cell that goes from empty to either the handed
 * work (a submitter won) or {@link #GONE} (the worker left first); exactly one side wins.
 */
public final class IdleWorkers {
    /** How long a worker keeps its lease waiting for work: short, so leases idle only briefly. */
    static final long LINGER_NANOS = 1_000_000;
    /** Busy-wait rounds before parking: a caller that submits right after its get is usually caught here. */
    private static final int SPINS = 1 << 8;
    private static final Object GONE = new Object();

    private final ConcurrentLinkedDeque<Waiter> waiting = new ConcurrentLinkedDeque<>();
    private final AtomicInteger count = new AtomicInteger();

    /** One worker's place in the line (used only by that worker). */
    public static final class Waiter {
        final double[] demand;
        final Thread thread = Thread.currentThread();
        final AtomicReference<Object> cell = new AtomicReference<>();

        Waiter(double[] demand) {
            this.demand = demand;
        }
    }

    /** Whether any worker is waiting. */
    boolean any() {
        return count.get() > 0;
    }

    /** Hands {@code work} to a waiting worker of the same demand; false when there is none. Any thread. */
    boolean offer(Work work) {
        if (count.get() == 0) {
            return false;
        }
        Waiter w;
        while ((w = waiting.pollFirst()) != null) {
            count.decrementAndGet();
            if (w.demand != work.demand && !Arrays.equals(w.demand, work.demand)) {
                waiting.offerFirst(w);
                count.incrementAndGet();
                return false;
            }
            if (w.cell.compareAndSet(null, work)) {
                LockSupport.unpark(w.thread);
                return true;
            }
        }
        return false;
    }

    /** Sends every waiting worker away (their leases go back to the node, e.g. for work of another demand). */
    void dismissAll() {
        Waiter w;
        while ((w = waiting.pollFirst()) != null) {
            count.decrementAndGet();
            if (w.cell.compareAndSet(null, GONE)) {
                LockSupport.unpark(w.thread);
            }
        }
    }

    /**
     * Puts the calling worker in line for work of {@code demand}. A worker registers before it publishes its
     * task's result, so a caller that submits again the moment it sees the result finds it; it must then call
     * {@link #await} exactly once.
     */
    Waiter register(double[] demand) {
        Waiter me = new Waiter(demand);
        waiting.offerFirst(me);
        count.incrementAndGet();
        return me;
    }

    /**
     * Waits up to the linger time for work handed to {@code me}: the handed work, or null when none came, the
     * worker was dismissed, or {@code stop} said so first. Work handed before the worker could leave is always
     * returned (it is then the worker's to run or send back).
     */
    Work await(Waiter me, java.util.function.BooleanSupplier stop) {
        for (int i = 0; i < SPINS && !stop.getAsBoolean(); i++) {
            if (me.cell.get() != null) {
                return taken(me);
            }
            Thread.onSpinWait();
        }
        long deadline = System.nanoTime() + LINGER_NANOS;
        while (me.cell.get() == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || stop.getAsBoolean()) {
                if (me.cell.compareAndSet(null, GONE)) {
                    if (waiting.remove(me)) {
                        count.decrementAndGet();
                    }
                    return null;
                }
                break; // a submitter won the race: take its work
            }
            LockSupport.parkNanos(this, left);
        }
        return taken(me);
    }

    private static Work taken(Waiter me) {
        Object o = me.cell.get();
        return o instanceof Work w ? w : null;
    }
}
