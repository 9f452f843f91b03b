package dev.weft.bench.cluster;

import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.api.NodeInfo;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How fast a cluster notices and recovers, with the default settings (3 s heartbeat timeout): a worker JVM killed
 * with SIGKILL until a connected driver's {@code nodes()} lists it dead; the head killed with SIGKILL and started
 * again on its journal and port until it says it is ready (the JVM's start included), and until a new driver has
 * connected and run a task on it.
 * Each measured {@code runs} times.
 * Usage: {@code ClusterRecovery [runs]}.
 */
public final class ClusterRecovery {
    private ClusterRecovery() {
    }

    public static int one() {
        return 1;
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path session = Files.createTempDirectory("weft-bench-recovery");
        Path journal = session.resolve("journal");
        List<String> headArgs = new ArrayList<>(List.of("start", "--head", "--num-cpus", "1", "--object-store-bytes",
                String.valueOf(128L << 20), "--session-dir", session.toString(), "--journal-dir", journal.toString()));
        List<String> first = new ArrayList<>(headArgs);
        first.addAll(List.of("--port", "0"));
        Process head = spawn(first, session.resolve("head-0.log"));
        List<Process> all = new ArrayList<>(List.of(head));
        try {
            while (!Files.exists(session.resolve("address"))) {
                check(head, session.resolve("head-0.log"));
                Thread.sleep(20);
            }
            String address = Files.readString(session.resolve("address")).trim();
            String token = Files.readString(session.resolve("token")).trim();
            WeftConfig config = WeftConfig.builder().address(address).property("token", token).build();
            double[] detect = new double[runs];
            double[] serving = new double[runs];
            double[] restart = new double[runs];
            for (int r = 0; r < runs; r++) {
                java.util.Set<String> known = new java.util.HashSet<>();
                try (Weft before = Weft.init(config)) {
                    before.nodes().forEach(n -> known.add(n.nodeId()));
                }
                Process worker = spawn(List.of("start", "--address", address, "--token", token, "--num-cpus", "1",
                        "--object-store-bytes", String.valueOf(64L << 20), "--session-dir", session.toString()),
                        session.resolve("worker-" + r + ".log"));
                all.add(worker);
                try (Weft watcher = Weft.init(config)) {
                    String workerId = awaitWorker(watcher, known, worker, session.resolve("worker-" + r + ".log"));
                    worker.destroyForcibly();
                    long t0 = System.nanoTime();
                    while (watcher.nodes().stream().anyMatch(n -> n.nodeId().equals(workerId) && n.alive())) {
                        Thread.sleep(10);
                    }
                    detect[r] = (System.nanoTime() - t0) / 1e9;
                }

                head.destroyForcibly();
                head.waitFor(10, TimeUnit.SECONDS);
                List<String> again = new ArrayList<>(headArgs);
                again.addAll(List.of("--port", address.substring(address.lastIndexOf(':') + 1), "--token", token));
                long t0 = System.nanoTime();
                Path headLog = session.resolve("head-" + (r + 1) + ".log");
                head = spawn(again, headLog);
                all.add(head);
                while (!Files.readString(headLog).contains("; ready")) {
                    check(head, headLog);
                    Thread.sleep(5);
                }
                serving[r] = (System.nanoTime() - t0) / 1e9;
                while (true) {
                    check(head, session.resolve("head-" + (r + 1) + ".log"));
                    try (Weft weft = Weft.init(config)) {
                        weft.task(ClusterRecovery::one).remote().get();
                        break;
                    } catch (RuntimeException notYet) {
                        Thread.sleep(10);
                    }
                }
                restart[r] = (System.nanoTime() - t0) / 1e9;
                System.out.printf("run %d: dead worker listed dead after %.2f s; restarted head serving after %.2f s"
                        + " (JVM start, journal replay, node registered), a new driver's task done after %.2f s%n",
                        r + 1, detect[r], serving[r], restart[r]);
            }
            System.out.printf("median of %d: detection %.2f s (%.2f-%.2f; target < 5), head restart to serving %.2f s"
                    + " (%.2f-%.2f; target < 3), to a new driver's task %.2f s (%.2f-%.2f)%n", runs, median(detect),
                    min(detect), max(detect), median(serving), min(serving), max(serving), median(restart), min(restart),
                    max(restart));
        } finally {
            for (Process p : all) {
                p.destroyForcibly();
            }
        }
    }

    private static Process spawn(List<String> args, Path log) throws java.io.IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--") || a.startsWith("-Dchronicle")).toList());
        cmd.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), "dev.weft.engine.cli.WeftCli"));
        cmd.addAll(args);
        cmd.add("--block");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void check(Process p, Path log) throws java.io.IOException {
        if (!p.isAlive()) {
            throw new IllegalStateException("a cluster process exited: " + Files.readString(log));
        }
    }

    /**
     * Waits until a live node with CPUs (drivers are listed too) that is not in {@code known} is listed: the worker;
     * returns its id.
     */
    private static String awaitWorker(Weft weft, java.util.Set<String> known, Process worker, Path log) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            check(worker, log);
            for (NodeInfo n : weft.nodes()) {
                if (n.alive() && !known.contains(n.nodeId()) && n.totalResources().getOrDefault("CPU", 0.0) > 0) {
                    return n.nodeId();
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the worker did not register within 60 s");
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
