package dev.weft.engine.internal.runtime;

import dev.weft.api.WeftConfig;
import dev.weft.engine.Straggler;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user code running on a runtime's worker threads right now (task functions, actor constructors, actor
 * calls), each with its thread, node and the time it was first interrupted. Every interrupt of user code goes
 * through here, so it reaches only the code it was meant for: a worker ends its entry and clears its thread's
 * interrupt status under the entry's lock, so an interrupt that comes late never lands on the next task the
 * thread runs. Closing the runtime interrupts everything and waits a grace period; what still runs then is a
 * {@link Straggler}. Thread-safe.
 */
public final class RunningCode {
    private static final Logger LOG = LoggerFactory.getLogger(RunningCode.class);
    /**
     * Property (an ISO-8601 duration, default {@link #DEFAULT_CLOSE_GRACE}): how long {@code close()} waits for
     * the tasks and actor calls it interrupted to end before it reports those still running and returns.
     */
    public static final String CLOSE_GRACE = "runtime.closeGrace";
    public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(5);

    private final Set<Entry> live = ConcurrentHashMap.newKeySet();
    private final Object endings = new Object();
    private final boolean ownsThreads;
    /** On callers' threads: the innermost code running on this thread (only when the registry does not own them). */
    private final ThreadLocal<Entry> current = new ThreadLocal<>();
    /** The runtime's live worker threads, each with the code it runs now (see {@link Slot}). */
    private final java.util.Map<Thread, Slot> workers = new ConcurrentHashMap<>();
    /** On the runtime's own worker threads: their slot. */
    private final ThreadLocal<Slot> slot = new ThreadLocal<>();
    /** Workers whose body returned; their threads may not have terminated yet (dead ones are purged in bulk). */
    private final Set<Thread> exiting = ConcurrentHashMap.newKeySet();
    private volatile boolean awaiting;

    /**
     * @param ownsThreads whether the code runs on the runtime's own worker threads, whose interrupt status is then
     *                    cleared whenever code ends; false when it runs on its callers' threads (the inline runtime),
     *                    where only an interrupt this registry sent is cleared
     */
    public RunningCode(boolean ownsThreads) {
        this.ownsThreads = ownsThreads;
    }

    /**
     * The code a worker thread of the runtime runs now. Entering and leaving code on a worker only writes its slot:
     * an actor call or a task then costs no update of a shared set (two of those per call were a third of the
     * actor-call hot path).
     */
    private static final class Slot {
        volatile Entry current;
    }

    /** One piece of user code on one thread, from {@link #enter} to {@link #exit}. */
    public final class Entry {
        final String kind;
        /** Built only when the code is reported (a straggler): not on every task's and call's hot path. */
        final Supplier<String> name;
        final String nodeId;
        final Thread thread = Thread.currentThread();
        /** The code this one runs inside, on the same caller thread (inline nested tasks); else null. */
        private final Entry outer;
        /** The worker's slot that holds this entry, or null when the entry is in {@link #live}. */
        private final Slot slot;
        private boolean ended;
        private long interruptedAt;

        private Entry(String kind, Supplier<String> name, String nodeId, Entry outer, Slot slot) {
            this.kind = kind;
            this.name = name;
            this.nodeId = nodeId;
            this.outer = outer;
            this.slot = slot;
        }

        /** Interrupts the code unless it has ended; false when it had. The first interrupt's time is kept. */
        public boolean interrupt() {
            return interrupt(null);
        }

        /**
         * Like {@link #interrupt()}, and runs {@code whileRunning} first, before the code can end (so it may act on
         * what the code holds, such as its worker's lease). {@code whileRunning} must not block.
         */
        public synchronized boolean interrupt(Runnable whileRunning) {
            if (ended) {
                return false;
            }
            if (whileRunning != null) {
                whileRunning.run();
            }
            if (interruptedAt == 0) {
                interruptedAt = Math.max(1, System.nanoTime());
            }
            thread.interrupt();
            return true;
        }

        public synchronized boolean ended() {
            return ended;
        }

        private synchronized long interruptedAt() {
            return interruptedAt;
        }
    }

    /**
     * Starts a worker thread of the runtime from {@code factory}, tracked until it ends so that a closing runtime
     * can wait for it: once close returns, no worker it waited for is alive.
     */
    Thread startWorker(ThreadFactory factory, Runnable body) {
        if (exiting.size() > 256) {
            exiting.removeIf(x -> !x.isAlive());
        }
        Slot mine = new Slot();
        Thread t = factory.newThread(() -> {
            slot.set(mine);
            try {
                body.run();
            } finally {
                Thread me = Thread.currentThread();
                exiting.add(me); // still alive for a moment: close joins it
                workers.remove(me);
                slot.remove();
                wakeCloser();
            }
        });
        workers.put(t, mine);
        t.start();
        return t;
    }

    /** Registers the calling thread as running {@code name} on {@code nodeId} until {@link #exit}. */
    public Entry enter(String kind, Supplier<String> name, String nodeId) {
        Entry e;
        if (ownsThreads) {
            Slot s = slot.get();
            if (s != null && s.current == null) {
                e = new Entry(kind, name, nodeId, null, s);
                s.current = e;
                return e;
            }
            e = new Entry(kind, name, nodeId, null, null);
        } else {
            e = new Entry(kind, name, nodeId, current.get(), null);
            current.set(e);
        }
        live.add(e);
        return e;
    }

    /**
     * The code of {@code e} returned (on its own thread): no interrupt reaches it from now on, and one that came
     * after the code last looked is dropped with it instead of hitting what the thread runs next.
     */
    public void exit(Entry e) {
        synchronized (e) {
            e.ended = true;
            if (ownsThreads) {
                Thread.interrupted();
            } else if (e.interruptedAt != 0 && (e.outer == null || e.outer.interruptedAt() == 0)) {
                Thread.interrupted(); // sent by this registry for this code only: the caller's thread gets it back clean
            }
        }
        if (!ownsThreads) {
            if (e.outer == null) {
                current.remove();
            } else {
                current.set(e.outer);
            }
        }
        if (e.slot != null) {
            e.slot.current = null;
        } else {
            live.remove(e);
        }
        wakeCloser();
    }

    /** Every piece of code running now: in worker slots and in {@link #live}. */
    private List<Entry> running() {
        List<Entry> out = new ArrayList<>(live);
        for (Slot s : workers.values()) {
            Entry e = s.current;
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** Tells a closing runtime's {@link #awaitEnd} that something ended (no cost while nobody waits). */
    private void wakeCloser() {
        if (awaiting) {
            synchronized (endings) {
                endings.notifyAll();
            }
        }
    }

    /** The close grace period that {@code config} sets with {@link #CLOSE_GRACE}. */
    public static Duration closeGrace(WeftConfig config) {
        String value = config.property(CLOSE_GRACE, DEFAULT_CLOSE_GRACE.toString());
        Duration grace;
        try {
            grace = Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad property " + CLOSE_GRACE + "='" + value + "': expected an ISO-8601 "
                    + "duration such as PT5S or PT0.5S", e);
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("bad property " + CLOSE_GRACE + "='" + value + "': must be >= 0");
        }
        return grace;
    }

    /**
     * For a closing runtime: interrupts every piece of code, waits up to {@code grace} for all of it to end, and
     * logs at WARN one line for each that did not; returns those. Never waits past {@code grace}.
     */
    public List<Straggler> stopAll(String runtimeId, Duration grace) {
        interruptAll();
        List<Straggler> left = awaitEnd(grace);
        for (Straggler s : left) {
            LOG.warn("runtime {} closed, but {} {} on {} still runs {} ms after it was interrupted (grace {}): it ignores "
                    + "interrupts, so its thread '{}' keeps running, and a core busy if it computes, until it returns; "
                    + "check Thread.interrupted() in its long loops", runtimeId, s.kind(), s.name(), s.nodeId(),
                    s.sinceInterrupt().toMillis(), grace, s.threadName());
        }
        return left;
    }

    /** Interrupts every running piece of code but the caller's own (a task may close its runtime). */
    public void interruptAll() {
        for (Entry e : running()) {
            if (e.thread != Thread.currentThread()) {
                e.interrupt();
            }
        }
    }

    /**
     * Waits up to {@code grace} for every piece of code and every worker thread to end (except the caller's own,
     * when a task closes its runtime); returns the code still running, longest interrupted first. Never waits past
     * {@code grace}.
     */
    public List<Straggler> awaitEnd(Duration grace) {
        Thread me = Thread.currentThread();
        awaiting = true; // an ending missed before this is seen by the wait's next timed check
        long deadline = System.nanoTime() + grace.toNanos();
        boolean interrupted = false;
        synchronized (endings) {
            long left;
            while (busy(me) && (left = deadline - System.nanoTime()) > 0) {
                try {
                    endings.wait(Math.max(1, Math.min(left / 1_000_000, 50)));
                } catch (InterruptedException ie) {
                    interrupted = true; // the grace is part of close's contract: keep it, and pass the interrupt on
                }
            }
        }
        List<Thread> straggling = new ArrayList<>();
        long now = System.nanoTime();
        List<Straggler> out = new ArrayList<>();
        for (Entry e : running()) {
            if (e.ended() || e.thread == me) {
                continue;
            }
            straggling.add(e.thread);
            long since = e.interruptedAt();
            out.add(new Straggler(e.kind, e.name.get(), e.nodeId, e.thread.getName(),
                    Duration.ofNanos(since == 0 ? 0 : now - since)));
        }
        // a worker leaves the set just before its thread terminates: join it, so none is alive once this returns
        List<Thread> toJoin = new ArrayList<>(workers.keySet());
        toJoin.addAll(exiting);
        for (Thread t : toJoin) {
            long left = deadline - System.nanoTime();
            if (t != me && !straggling.contains(t) && left > 0) {
                try {
                    t.join(Duration.ofNanos(left));
                } catch (InterruptedException ie) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        out.sort(Comparator.comparing(Straggler::sinceInterrupt).reversed());
        return List.copyOf(out);
    }

    /** Whether code or a worker thread other than {@code me} is still running. */
    private boolean busy(Thread me) {
        for (Entry e : live) {
            if (e.thread != me) {
                return true;
            }
        }
        for (Thread t : workers.keySet()) {
            if (t != me) {
                return true;
            }
        }
        return false;
    }

    public int size() {
        return running().size();
    }
}
