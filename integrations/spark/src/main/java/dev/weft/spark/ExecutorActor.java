package dev.weft.spark;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Weft actor behind one Spark executor. {@link #run} starts the executor as a child JVM (its output appended to
 * {@code executor-<id>.log}) and waits for it; the child is destroyed when {@link #stop} is called, when the call is
 * interrupted (the actor was killed), and it exits by itself when this JVM dies (it watches its stdin, a pipe from
 * here). On the embedded cluster actors are threads of the driver's JVM, so a child process is what gives the executor
 * its own heap of the granted size. Calls: one {@code run}, then any number of {@code stop}; the actor needs a
 * concurrency of 2 so that {@code stop} can reach it while {@code run} waits.
 */
final class ExecutorActor {
    /** How long a stopped executor gets to run Spark's shutdown hooks before it is killed. */
    private static final long GRACE_SECONDS = 10;

    private final ExecutorLaunch launch;
    private Process process;
    private boolean stopped;

    private ExecutorActor(ExecutorLaunch launch) {
        this.launch = launch;
    }

    static ExecutorActor create(ExecutorLaunch launch) {
        return new ExecutorActor(launch);
    }

    /** Starts the executor and returns its exit code when it ends; -1 when it was stopped before it started. */
    int run() throws IOException, InterruptedException {
        Process p;
        synchronized (this) {
            if (stopped) {
                return -1;
            }
            Path work = launch.workDir();
            Files.createDirectories(work);
            Files.write(launch.argFile(), launch.argFileLines());
            List<String> command = launch.command(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    localAddress());
            ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.logFile().toFile()));
            pb.environment().putAll(launch.environment());
            p = pb.start();
            process = p;
        }
        try {
            return p.waitFor();
        } finally {
            end(p);
        }
    }

    /** Stops the executor (SIGTERM, then SIGKILL after a grace period) and returns once the process is gone. */
    boolean stop() throws InterruptedException {
        Process p;
        synchronized (this) {
            stopped = true;
            p = process;
        }
        if (p != null) {
            end(p);
        }
        return true;
    }

    private static void end(Process p) throws InterruptedException {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private static String localAddress() throws IOException {
        return InetAddress.getLocalHost().getHostAddress();
    }
}
