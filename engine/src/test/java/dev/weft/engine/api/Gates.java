package dev.weft.engine.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Latches and counters shared by a test and the tasks it runs. Tasks on the local and inline providers run in
 * the test's JVM, so static state is how a test sees what its tasks did (every test uses fresh random keys).
 */
final class Gates {
    private static final Map<String, CountDownLatch> LATCHES = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> COUNTERS = new ConcurrentHashMap<>();
    /** How long a task waits on a gate before giving up, so a failed test leaves no task blocked for ever. */
    static final long PATIENCE_SECONDS = 60;

    private Gates() {
    }

    static String key(String what) {
        return what + "-" + java.util.UUID.randomUUID();
    }

    static CountDownLatch latch(String key) {
        return LATCHES.computeIfAbsent(key, k -> new CountDownLatch(1));
    }

    static void open(String key) {
        latch(key).countDown();
    }

    static boolean isOpen(String key) {
        return latch(key).getCount() == 0;
    }

    /** Blocks until {@code key} is opened; throws if that takes longer than {@link #PATIENCE_SECONDS}. */
    static void await(String key) throws InterruptedException {
        if (!latch(key).await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gate " + key + " was never opened");
        }
    }

    static AtomicInteger counter(String key) {
        return COUNTERS.computeIfAbsent(key, k -> new AtomicInteger());
    }
}
