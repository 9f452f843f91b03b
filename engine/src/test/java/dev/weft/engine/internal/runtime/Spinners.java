package dev.weft.engine.internal.runtime;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU-bound task bodies for the cancellation tests, and what a test sees of them. Tasks run in the test's JVM, so
 * static state is how a test learns what its tasks did; every test uses fresh keys. A key's latches:
 * "key/started", "key/interrupted" (the body saw its interrupt) and "key/ended" (the body returned).
 */
public final class Spinners {
    private static final Map<String, CountDownLatch> LATCHES = new ConcurrentHashMap<>();
    private static final Map<String, Boolean> STOP = new ConcurrentHashMap<>();
    private static final Map<String, Thread> THREADS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    private Spinners() {
    }

    static String key(String what) {
        return what + "-" + java.util.UUID.randomUUID();
    }

    static CountDownLatch latch(String key) {
        return LATCHES.computeIfAbsent(key, k -> new CountDownLatch(1));
    }

    /** Lets {@link #spinIgnoringInterrupts} with {@code key} return. */
    static void stop(String key) {
        STOP.put(key, true);
    }

    /** The thread that ran the body with {@code key}. */
    static Thread thread(String key) {
        return THREADS.get(key);
    }

    static int runs(String key) {
        return RUNS.computeIfAbsent(key, k -> new AtomicInteger()).get();
    }

    /** Computes until its thread is interrupted, then computes a while longer (its clean-up) and returns. */
    public static long spinUntilInterrupted(String key) {
        started(key);
        long x = 1;
        while (!Thread.interrupted()) {
            x = compute(x);
        }
        latch(key + "/interrupted").countDown();
        for (int i = 0; i < 5_000_000; i++) {
            x = mix(x);
        }
        latch(key + "/ended").countDown();
        return x;
    }

    /** Computes, deaf to interrupts, until the test calls {@link #stop}. */
    public static long spinIgnoringInterrupts(String key) {
        started(key);
        long x = 1;
        while (!STOP.containsKey(key)) {
            x = compute(x);
        }
        latch(key + "/ended").countDown();
        return x;
    }

    /** Counts that it ran. */
    public static int countRun(String key) {
        return RUNS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    public static int square(int x) {
        return x * x;
    }

    private static void started(String key) {
        THREADS.put(key, Thread.currentThread());
        latch(key + "/started").countDown();
    }

    /**
     * A slice of pure computation. It ends with a yield: a virtual thread is never preempted, so code that computes
     * without yielding holds its carrier thread, and as many such tasks as the machine has cores would starve
     * every other virtual thread of the JVM (the test's next task included) on a small machine.
     */
    private static long compute(long x) {
        for (int i = 0; i < 100_000; i++) {
            x = mix(x);
        }
        Thread.yield();
        return x;
    }

    private static long mix(long x) {
        x ^= x << 13;
        x ^= x >>> 7;
        return x ^ (x << 17);
    }

    /**
     * Threads of this JVM whose name starts with "weft-", virtual ones included (from a thread dump), by thread id.
     * The per-runtime "weft-ref-cleaner" thread is left out: a {@code Cleaner}'s thread ends only when the cleaner
     * is garbage collected.
     */
    static Map<String, String> weftThreads() {
        try {
            Path dir = Files.createTempDirectory("weft-threads");
            Path file = dir.resolve("dump.json");
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                Map<String, String> out = new TreeMap<>();
                Matcher m = Pattern.compile("\"tid\": \"(\\d+)\",[^{}\\[]*?\"name\": \"([^\"]*)\"")
                        .matcher(Files.readString(file));
                while (m.find()) {
                    if (m.group(2).startsWith("weft-") && !m.group(2).contains("cleaner")) {
                        out.put(m.group(1), m.group(2));
                    }
                }
                return out;
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An actor whose calls compute like the task bodies above. */
    public static final class Actor {
        public Actor() {
        }

        public long spin(String key) {
            return spinUntilInterrupted(key);
        }

        public long ignore(String key) {
            return spinIgnoringInterrupts(key);
        }

        public int count(String key) {
            return countRun(key);
        }

        /** Whether the thread running this call has an interrupt pending (one meant for an earlier call). */
        public boolean interruptPending() {
            return Thread.currentThread().isInterrupted();
        }
    }
}
