package dev.weft.engine.cluster;

import dev.weft.engine.cli.WeftCli;
import dev.weft.engine.internal.cluster.ClusterAdmin;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A cluster of real JVMs on 127.0.0.1 for tests: a head and workers started with {@code weft start --block} on
 * the JDK and class path of the test, each logging to a file in a temporary session directory. Everything it
 * started is destroyed by {@link #close()} (and by a shutdown hook, should the test JVM end first).
 */
public final class ClusterProcesses implements AutoCloseable {
    private final Path session;
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final List<Path> logs = new CopyOnWriteArrayList<>();
    private String heap = "512m";
    private String address;
    private String token;
    private Process head;
    private List<String> headArgs;

    public ClusterProcesses() throws IOException {
        this.session = Files.createTempDirectory("weft-cluster-test");
        Runtime.getRuntime().addShutdownHook(new Thread(this::destroyAll));
    }

    /** Starts a head and {@code workers} workers of {@code cpus} CPUs each; returns once all are registered. */
    public static ClusterProcesses start(int workers, double cpus, long storeBytes) throws Exception {
        return start(workers, cpus, storeBytes, List.of());
    }

    /** Like {@link #start(int, double, long)}, with more options for the head (e.g. a journal directory). */
    public static ClusterProcesses start(int workers, double cpus, long storeBytes, List<String> headExtra) throws Exception {
        return start(workers, cpus, storeBytes, headExtra, "512m");
    }

    /** Like {@link #start(int, double, long, List)}, every JVM with a heap of {@code heap} (as -Xmx takes it). */
    public static ClusterProcesses start(int workers, double cpus, long storeBytes, List<String> headExtra, String heap)
            throws Exception {
        ClusterProcesses c = new ClusterProcesses();
        c.heap = heap;
        try {
            c.headArgs = new ArrayList<>(List.of("start", "--head", "--num-cpus", fmt(cpus),
                    "--object-store-bytes", String.valueOf(storeBytes), "--session-dir", c.session.toString()));
            if (!headExtra.contains("--heartbeat-timeout-ms")) {
                c.headArgs.addAll(List.of("--heartbeat-timeout-ms", "2000"));
            }
            c.headArgs.addAll(headExtra);
            List<String> first = new ArrayList<>(c.headArgs);
            first.addAll(List.of("--port", "0"));
            c.head = c.spawn("head", first);
            c.awaitReady(c.head, 0);
            c.address = Files.readString(c.session.resolve("address")).trim();
            c.token = Files.readString(c.session.resolve("token")).trim();
            for (int i = 0; i < workers; i++) {
                c.startWorker(cpus, storeBytes);
            }
            c.awaitNodes(workers + 1);
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    /** Kills the head with SIGKILL. */
    public void killHead() throws InterruptedException {
        head.destroyForcibly();
        head.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Starts the head again on the same port, token and options; returns once it serves. */
    public void restartHead() throws Exception {
        List<String> again = new ArrayList<>(headArgs);
        again.addAll(List.of("--port", address.substring(address.lastIndexOf(':') + 1), "--token", token));
        int index = logs.size();
        head = spawn("head-again", again);
        awaitReady(head, index);
    }

    /** Starts one more worker; returns its process once it has registered. */
    public Process startWorker(double cpus, long storeBytes) throws Exception {
        int before = logs.size();
        Process p = spawn("worker", List.of("start", "--address", address, "--token", token, "--num-cpus", fmt(cpus),
                "--object-store-bytes", String.valueOf(storeBytes), "--session-dir", session.toString()));
        awaitReady(p, before);
        return p;
    }

    private static String fmt(double d) {
        return String.valueOf(d);
    }

    /** Starts {@code java <flags> -cp <test class path> WeftCli args...} with {@code --block}. */
    public Process spawn(String name, List<String> args) throws IOException {
        List<String> cmd = java(WeftCli.class.getName(), heap);
        cmd.addAll(args);
        cmd.add("--block");
        return spawnCommand(name, cmd);
    }

    /** Spawns {@code weft args... --block} and returns once it says it is ready. */
    public Process spawnReady(String name, List<String> args) throws Exception {
        int index = logs.size();
        Process p = spawn(name, args);
        awaitReady(p, index);
        return p;
    }

    public Process spawnCommand(String name, List<String> cmd) throws IOException {
        Path log = session.resolve(name + "-" + logs.size() + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        logs.add(log);
        return p;
    }

    /** The command line that runs {@code mainClass} on this JDK with the test's class path and the engine's flags. */
    public static List<String> java(String mainClass) {
        return java(mainClass, "512m");
    }

    /** Like {@link #java(String)}, with a heap of {@code heap}. */
    public static List<String> java(String mainClass, String heap) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("--enable-native-access") || a.startsWith("-Dchronicle")
                    || a.startsWith("--sun-misc")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1"); // short-lived test JVMs: start fast rather than peak
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        return cmd;
    }

    private void awaitReady(Process p, int logIndex) throws Exception {
        Path log = logs.get(logIndex);
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (text.contains("; ready")) {
                return;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("cluster process exited with " + p.exitValue() + ":\n" + text);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("cluster process not ready within 90 s:\n" + Files.readString(log));
    }

    /** Waits until {@code n} nodes are alive. */
    public void awaitNodes(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (ClusterAdmin.listNodes(address, token).stream().filter(e -> e.getAlive()).count() >= n) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(n + " nodes did not come up within 60 s");
    }

    /** Whether every process started here has ended within {@code seconds} (those killed included). */
    public boolean allExited(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        for (Process p : processes) {
            if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }

    /** The file {@code p}'s output goes to. */
    public Path logOf(Process p) {
        return logs.get(processes.indexOf(p));
    }

    public String log(int i) throws IOException {
        return Files.readString(logs.get(i));
    }

    public String address() {
        return address;
    }

    public String token() {
        return token;
    }

    public Path session() {
        return session;
    }

    private void destroyAll() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Override
    public void close() {
        destroyAll();
        for (Process p : processes) {
            try {
                p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
