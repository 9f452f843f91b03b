package dev.weft.testing;

import dev.weft.api.NodeInfo;
import dev.weft.api.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The hygiene checks of {@link WeftTest}, usable on their own: objects left in node stores and threads left
 * behind by a closed runtime. Stateless and thread-safe.
 */
public final class LeakChecks {
    private LeakChecks() {
    }

    /** Nodes that hold objects right now, as "node-id: N objects, B bytes" lines; empty when every store is empty. */
    public static List<String> objectsInStores(Weft weft) {
        List<String> held = new ArrayList<>();
        for (NodeInfo node : weft.nodes()) {
            if (node.alive() && (node.objectCount() != 0 || node.objectStoreUsedBytes() != 0)) {
                held.add(node.nodeId() + ": " + node.objectCount() + " objects, " + node.objectStoreUsedBytes() + " bytes");
            }
        }
        return held;
    }

    /**
     * Runs garbage collections until every store is empty (handles dropped by the program are released through
     * a {@code Cleaner}, which needs a collection first) or {@code patience} passes; returns what is still held.
     */
    public static List<String> awaitStoresEmpty(Weft weft, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        List<String> held = objectsInStores(weft);
        while (!held.isEmpty() && System.nanoTime() < deadline) {
            System.gc();
            Thread.yield();
            held = objectsInStores(weft);
        }
        return held;
    }

    /** The live threads of this JVM, to compare against later with {@link #threadsStartedSince}. */
    public static Set<Thread> threadSnapshot() {
        return Set.copyOf(Thread.getAllStackTraces().keySet());
    }

    /**
     * Threads started after {@code before} that are still alive after waiting up to {@code patience} for them
     * to end: non-daemon threads and threads whose name contains "weft". Platform threads only (virtual threads
     * are not enumerable).
     */
    public static List<String> threadsStartedSince(Set<Thread> before, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        List<String> stray = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (before.contains(t) || t == Thread.currentThread() || !suspicious(t)) {
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Duration.ofNanos(left));
            }
            if (t.isAlive()) {
                stray.add("'" + t.getName() + "'" + (t.isDaemon() ? " (daemon)" : " (non-daemon)") + " state " + t.getState());
            }
        }
        return stray;
    }

    private static boolean suspicious(Thread t) {
        return !t.isDaemon() || t.getName().toLowerCase(Locale.ROOT).contains("weft");
    }
}
