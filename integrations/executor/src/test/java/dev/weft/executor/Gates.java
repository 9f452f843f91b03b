package dev.weft.executor;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Latches and counters shared by a test and its tasks: tasks on the embedded cluster run in the test's JVM (after a
 * round trip through serialization), so static state keyed by a fresh random string is how a test sees them.
 */
final class Gates {
    /** How long a task waits on a gate before giving up, so a failed test leaves no task blocked for ever. */
    static final long PATIENCE_SECONDS = 60;
    private static final Map<String, CountDownLatch> LATCHES = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> COUNTERS = new ConcurrentHashMap<>();

    private Gates() {
    }

    static String key(String what) {
        return what + "-" + UUID.randomUUID();
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

    static void await(String key) throws InterruptedException {
        if (!latch(key).await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gate " + key + " was never opened");
        }
    }

    static AtomicInteger counter(String key) {
        return COUNTERS.computeIfAbsent(key, k -> new AtomicInteger());
    }
}
