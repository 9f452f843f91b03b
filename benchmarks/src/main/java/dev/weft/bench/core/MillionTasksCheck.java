package dev.weft.bench.core;

import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;

/**
 * The check "1,000,000 queued empty tasks complete in under 10 s with a heap under 2 GiB": submits every task
 * before reading any result, then reads them all. Prints the time and the peak heap; exits 1 when a limit is
 * missed. Run it with {@code -Xmx2g} so the heap limit is enforced too (see {@code run-jmh.sh --million}).
 */
public final class MillionTasksCheck {
    static final int TASKS = 1_000_000;
    static final double LIMIT_SECONDS = 10;
    static final long LIMIT_HEAP = 2L << 30;

    private MillionTasksCheck() {
    }

    public static void main(String[] args) {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : TASKS;
        try (Weft weft = Weft.init()) {
            // Warm the path once so class loading is not counted.
            for (int i = 0; i < 10_000; i++) {
                weft.task(Noop::nothing).remote().get();
            }
            System.gc();
            resetPeaks();
            long start = System.nanoTime();
            List<ObjectRef<Integer>> refs = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                refs.add(weft.task(Noop::nothing).remote());
            }
            long submitted = System.nanoTime();
            long sum = 0;
            for (ObjectRef<Integer> ref : refs) {
                sum += ref.get();
                ref.close();
            }
            long done = System.nanoTime();
            double seconds = (done - start) / 1e9;
            long peak = peakHeap();
            System.out.printf("%,d queued empty tasks: submitted in %.2f s, all complete in %.2f s (%,.0f tasks/s); "
                            + "peak heap %,d MiB (max heap %,d MiB); sum %d%n",
                    tasks, (submitted - start) / 1e9, seconds, tasks / seconds, peak >> 20,
                    Runtime.getRuntime().maxMemory() >> 20, sum);
            boolean ok = seconds < LIMIT_SECONDS && peak < LIMIT_HEAP;
            System.out.println(ok ? "PASS: under 10 s and 2 GiB" : "FAIL: limit is 10 s and 2 GiB of heap");
            if (!ok) {
                System.exit(1);
            }
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
