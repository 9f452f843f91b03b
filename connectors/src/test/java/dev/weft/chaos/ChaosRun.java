package dev.weft.chaos;

import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectRef;
import dev.weft.api.ObjectStoreFullException;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.api.WeftException;
import dev.weft.data.Dataset;
import dev.weft.data.internal.arrow.DataAllocators;
import dev.weft.engine.LocalClusterControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Runs one {@link ChaosCase} on a fresh embedded cluster and judges it: the exact answer or an error that names the
 * fault, within the deadline, and afterwards nothing left in any store, allocator or thread.
 */
final class ChaosRun {
    enum Verdict {
        EXACT(true), CLEAR_ERROR(true), WRONG_ANSWER(false), UNCLEAR_ERROR(false), HANG(false), LEAK(false),
        STRAY_THREADS(false);

        final boolean good;

        Verdict(boolean good) {
            this.good = good;
        }
    }

    /** @param struck whether the fault happened before the job ended (a late kill changes nothing) */
    record Outcome(ChaosCase chaosCase, Verdict verdict, String detail, long millis, boolean struck) {
    }

    private final ChaosCase c;
    private final Path dir;
    private final Duration deadline;
    private volatile boolean struck;
    private volatile String victim;

    ChaosRun(ChaosCase c, Path workDir, Duration deadline) {
        this.c = c;
        this.dir = workDir.resolve("case-" + c.seed());
        this.deadline = deadline;
    }

    Outcome run() throws Exception {
        Files.createDirectories(dir);
        Path parquet = dir.resolve("source");
        Path out = dir.resolve("out");
        Path spill = dir.resolve("spill");
        Files.createDirectories(spill);
        if (c.parquet()) {
            writeSource(parquet);
        }
        Set<String> threadsBefore = weftThreads();
        // A leak of an earlier case stays leaked: judge this case by what it adds.
        long allocatorBefore = DataAllocators.root().getAllocatedMemory();
        WeftConfig.Builder cfg = WeftConfig.builder().address("local").nodes(c.nodes(), c.cpus())
                .spillUri(spill.toUri().toString());
        if (c.storeBytes() > 0) {
            cfg.objectStoreBytes(c.storeBytes());
        }
        if (c.fault() == ChaosCase.Fault.TINY_STORE || c.fault() == ChaosCase.Fault.SPILL_DIR_READ_ONLY) {
            // A put that cannot get space gives up within the case's deadline (the default waits a minute).
            cfg.property("objectStore.putTimeout", "PT10S");
        }
        long start = System.nanoTime();
        Weft weft = Weft.init(cfg.build());
        Outcome outcome;
        try {
            outcome = runJob(weft, parquet, out, spill, start);
        } finally {
            ChaosHooks.disarm();
            SpillDirs.makeWritable(spill);
        }
        if (outcome.verdict() == Verdict.HANG) {
            return closeBounded(weft) ? outcome : with(outcome, Verdict.HANG, "Weft.close() did not return within 60 s");
        }
        String storeLeak = waitForEmptyStores(weft);
        LocalClusterControl control = LocalClusterControl.of(weft);
        if (!closeBounded(weft)) {
            return with(outcome, Verdict.HANG, "Weft.close() did not return within 60 s");
        }
        if (!control.stragglers().isEmpty()) {
            return with(outcome, Verdict.STRAY_THREADS, "user code still running after close(): " + control.stragglers());
        }
        if (storeLeak != null) {
            return with(outcome, Verdict.LEAK, storeLeak);
        }
        String allocatorLeak = waitForAllocatorAt(allocatorBefore);
        if (allocatorLeak != null) {
            return with(outcome, Verdict.LEAK, allocatorLeak);
        }
        String stray = waitForNoNewThreads(threadsBefore);
        if (stray != null) {
            return with(outcome, Verdict.STRAY_THREADS, stray);
        }
        return outcome;
    }

    private Outcome runJob(Weft weft, Path parquet, Path out, Path spill, long start) throws Exception {
        String driver = driverNode(weft);
        SplittableRandom r = new SplittableRandom(c.seed() ^ 0x5DEECE66DL);
        List<String> others = weft.nodes().stream().map(NodeInfo::nodeId).filter(id -> !id.equals(driver)).toList();
        String chosen = others.isEmpty() ? null : others.get(r.nextInt(others.size()));
        LocalClusterControl control = LocalClusterControl.of(weft);
        Runnable kill = () -> {
            if (chosen != null) {
                victim = chosen;
                struck = true;
                control.killNode(chosen);
            }
        };
        List<String> expected = ChaosOracle.expected(c);
        Dataset ds = ChaosPipeline.build(c, parquet);
        ChaosHooks.arm(c, kill);
        CompletableFuture<List<String>> job = new CompletableFuture<>();
        CompletableFuture<Void> jobDone = new CompletableFuture<>();
        Thread[] timer = new Thread[1];
        Runnable liftFaults = () -> {
            jobDone.complete(null);
            stopTimer(timer[0]);
            ChaosHooks.disarm();
            SpillDirs.makeWritable(spill);
        };
        Thread jobThread = Thread.ofPlatform().name("chaos-job-" + c.seed()).daemon().start(() -> {
            try {
                job.complete(ChaosPipeline.consume(c, ds, out, liftFaults));
            } catch (Throwable t) {
                job.completeExceptionally(t);
            }
        });
        timer[0] = startTimedFault(kill, spill, jobDone, job);
        List<String> got;
        try {
            got = job.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String nodes = weft.nodes().stream().map(n -> n.nodeId() + (n.alive() ? "" : " (dead)") + " free "
                    + n.availableResources() + " of " + n.totalResources() + ", " + n.objectCount() + " objects")
                    .collect(Collectors.joining("; "));
            return new Outcome(c, Verdict.HANG, "no answer within " + deadline.toSeconds() + " s; nodes: " + nodes
                    + "\nthreads:\n" + ThreadDumps.of(jobThread), millis(start), struck);
        } catch (ExecutionException e) {
            stopTimer(timer[0]);
            return judgeError(e.getCause(), out, start);
        }
        stopTimer(timer[0]);
        struck |= ChaosHooks.FIRED.get();
        if (c.fault() == ChaosCase.Fault.UDF_THROWS_ALWAYS || c.fault() == ChaosCase.Fault.UDF_CONSTRUCTOR_THROWS) {
            return new Outcome(c, Verdict.WRONG_ANSWER, "the job succeeded although its UDF always fails", millis(start), true);
        }
        if (!got.equals(expected)) {
            return new Outcome(c, Verdict.WRONG_ANSWER, difference(expected, got), millis(start), struck);
        }
        return new Outcome(c, Verdict.EXACT, "", millis(start), struck);
    }

    /** Stops the timed fault and waits for it, so that it cannot strike after the case has lifted its faults. */
    private static void stopTimer(Thread timer) {
        if (timer != null && timer != Thread.currentThread()) {
            timer.interrupt();
            try {
                timer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the fault that strikes at a time rather than at a call; {@code null} for the others. */
    private Thread startTimedFault(Runnable kill, Path spill, CompletableFuture<?> jobDone, CompletableFuture<?> job) {
        Runnable action = switch (c.fault()) {
            case KILL_NODE_AT_TIME -> kill;
            case SPILL_DIR_READ_ONLY -> () -> {
                struck = true;
                SpillDirs.makeReadOnly(spill);
            };
            default -> null;
        };
        if (action == null) {
            return null;
        }
        return Thread.ofPlatform().name("chaos-fault-" + c.seed()).daemon().start(() -> {
            try {
                CompletableFuture.anyOf(jobDone, job).get(c.faultAt(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                action.run();
            } catch (InterruptedException | ExecutionException e) {
                // the job ended first: no fault
            }
        });
    }

    private Outcome judgeError(Throwable error, Path out, long start) {
        struck |= ChaosHooks.FIRED.get();
        String chain = messages(error);
        if (c.sink() == ChaosCase.Sink.WRITE_PARQUET && committedParts(out) > 0) {
            return new Outcome(c, Verdict.WRONG_ANSWER, "a failed write left " + committedParts(out)
                    + " committed files in " + out + ": " + chain, millis(start), struck);
        }
        boolean names = switch (c.fault()) {
            case NONE -> false;
            case UDF_THROWS_ALWAYS, UDF_THROWS_ONCE, UDF_CONSTRUCTOR_THROWS -> chain.contains(ChaosPipeline.FAULT_MARK);
            case KILL_NODE_AT_TIME, KILL_NODE_FROM_UDF -> victim != null && chain.contains(victim);
            // the fault runs under a small store: a store that is full and cannot spill is the fault too
            case SPILL_DIR_READ_ONLY -> chain.toLowerCase().contains("spill")
                    || hasCause(error, ObjectStoreFullException.class);
            case TINY_STORE -> hasCause(error, ObjectStoreFullException.class) || chain.contains("object store");
        };
        if (!(error instanceof WeftException)) {
            names = false;
        }
        return new Outcome(c, names ? Verdict.CLEAR_ERROR : Verdict.UNCLEAR_ERROR,
                error.getClass().getSimpleName() + ": " + abbreviate(chain, 600)
                        + (names ? "" : "\n" + ThreadDumps.stack(error)), millis(start), struck);
    }

    private void writeSource(Path parquet) {
        WeftConfig cfg = WeftConfig.builder().address("local").nodes(1, 2).build();
        try (Weft w = Weft.init(cfg)) {
            ChaosPipeline.generated(c).repartition(Math.max(1, c.parallelism() / 2)).writeParquet(parquet.toString());
        }
    }

    /** The node this driver puts to: the one whose object count a put raises. */
    private static String driverNode(Weft weft) {
        Map<String, Long> before = new HashMap<>();
        weft.nodes().forEach(n -> before.put(n.nodeId(), n.objectCount()));
        try (ObjectRef<byte[]> marker = weft.put(new byte[1 << 20])) {
            for (NodeInfo n : weft.nodes()) {
                if (n.objectCount() > before.get(n.nodeId())) {
                    return n.nodeId();
                }
            }
        }
        return weft.nodes().getFirst().nodeId();
    }

    private static String waitForEmptyStores(Weft weft) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            List<NodeInfo> full = weft.nodes().stream().filter(n -> n.alive() && (n.objectCount() > 0
                    || n.objectStoreUsedBytes() > 0 || n.spillFileCount() > 0)).toList();
            if (full.isEmpty()) {
                return null;
            }
            if (System.nanoTime() > end) {
                return "stores not empty 15 s after the job: " + full.stream().map(n -> n.nodeId() + " "
                        + n.objectCount() + " objects, " + n.objectStoreUsedBytes() + " bytes, "
                        + n.spillFileCount() + " spill files").collect(Collectors.joining("; "));
            }
            sleep(20);
        }
    }

    private static String waitForAllocatorAt(long before) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (DataAllocators.root().getAllocatedMemory() > before) {
            if (System.nanoTime() > end) {
                return "datasets allocator holds " + (DataAllocators.root().getAllocatedMemory() - before)
                        + " bytes more than before the case:\n"
                        + abbreviate(DataAllocators.root().toVerboseString(), 2000);
            }
            sleep(20);
        }
        return null;
    }

    private static String waitForNoNewThreads(Set<String> before) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Set<String> now = weftThreads();
            now.removeAll(before);
            if (now.isEmpty()) {
                return null;
            }
            if (System.nanoTime() > end) {
                return "threads left after close: " + now;
            }
            sleep(20);
        }
    }

    /** Platform threads of Weft's (virtual threads end with the work they run and are not listed by the JDK). */
    static Set<String> weftThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("weft-")).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static boolean closeBounded(Weft weft) {
        Thread closer = Thread.ofPlatform().name("chaos-close").daemon().start(weft::close);
        try {
            closer.join(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !closer.isAlive();
    }

    private static long committedParts(Path out) {
        if (!Files.isDirectory(out)) {
            return 0;
        }
        try (var files = Files.walk(out)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.toString().contains("_temporary"))
                    .filter(p -> p.getFileName().toString().startsWith("part-")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable e = t; e != null; e = e.getCause() == e ? null : e.getCause()) {
            sb.append(e.getClass().getSimpleName()).append(": ").append(e.getMessage()).append(" <- ");
        }
        return sb.toString();
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable e = t; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (type.isInstance(e)) {
                return true;
            }
        }
        return false;
    }

    private static String difference(List<String> expected, List<String> got) {
        int i = 0;
        while (i < expected.size() && i < got.size() && expected.get(i).equals(got.get(i))) {
            i++;
        }
        return "expected " + expected.size() + " rows, got " + got.size() + "; first difference at row " + i
                + ": expected " + (i < expected.size() ? expected.get(i) : "<end>") + ", got "
                + (i < got.size() ? got.get(i) : "<end>");
    }

    private Outcome with(Outcome o, Verdict v, String detail) {
        return new Outcome(c, v, detail + (o.detail().isEmpty() ? "" : "\n(after " + o.verdict() + ": "
                + abbreviate(o.detail(), 300) + ")"), o.millis(), o.struck());
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private static long millis(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
