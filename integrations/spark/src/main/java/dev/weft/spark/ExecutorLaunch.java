package dev.weft.spark;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything an {@link ExecutorActor} needs to start one Spark executor as a child JVM: made by the driver, shipped
 * to the actor's node. Immutable.
 *
 * @param executorId  Spark's executor id (also names the log file and the work directory)
 * @param appId       the Spark application id
 * @param driverUrl   the driver's scheduler endpoint, {@code spark://CoarseGrainedScheduler@host:port}
 * @param cores       the executor's task slots ({@code spark.executor.cores})
 * @param heapMb      the child's {@code -Xmx} in MiB ({@code spark.executor.memory})
 * @param hostname    the address the executor binds and advertises, or {@code null} for its node's own address
 * @param javaOptions JVM options before the main class (module opens, startup confs, extra options)
 * @param classPath   the child's class path entries, in order
 * @param environment extra environment variables ({@code spark.executorEnv.*})
 * @param logDir      where {@code executor-<id>.log}, its JVM argument file and its work directory {@code executor-<id>/}
 *                    go (absolute)
 */
record ExecutorLaunch(String executorId, String appId, String driverUrl, int cores, long heapMb, String hostname,
                      List<String> javaOptions, List<String> classPath, Map<String, String> environment,
                      String logDir) {
    /** The main class of the child: Spark's executor behind a guard that exits when the actor's JVM goes away. */
    static final String MAIN_CLASS = "dev.weft.spark.internal.ExecutorMain";

    ExecutorLaunch {
        if (cores < 1) {
            throw new IllegalArgumentException("executor " + executorId + ": cores must be >= 1, got " + cores);
        }
        if (heapMb < 1) {
            throw new IllegalArgumentException("executor " + executorId + ": heap must be >= 1 MiB, got " + heapMb);
        }
        javaOptions = List.copyOf(javaOptions);
        classPath = List.copyOf(classPath);
        environment = Map.copyOf(environment);
    }

    Path logFile() {
        return Path.of(logDir, "executor-" + executorId + ".log");
    }

    Path workDir() {
        return Path.of(logDir, "executor-" + executorId);
    }

    Path argFile() {
        return Path.of(logDir, "executor-" + executorId + ".jvmargs");
    }

    /**
     * The lines of the child's JVM argument file ({@code java @file}): its options and class path, which together
     * pass the few KB that {@code ProcessHandle.Info} and some systems' command lines hold. Fails naming the entry
     * when a class path entry does not exist here (executors on another host need Spark and the application at the
     * same paths, as with Spark's own standalone workers).
     */
    List<String> argFileLines() {
        for (String entry : classPath) {
            if (!entry.isEmpty() && !entry.endsWith("*") && !Files.exists(Path.of(entry))) {
                throw new IllegalStateException("cannot start Spark executor " + executorId + ": its class path entry "
                        + entry + " does not exist on this node (Spark and the application must be at the driver's "
                        + "paths on every Weft node, or set spark.executor.extraClassPath)");
            }
        }
        List<String> lines = new ArrayList<>();
        javaOptions.forEach(o -> lines.add(quote(o)));
        lines.add("-cp");
        lines.add(quote(String.join(File.pathSeparator, classPath)));
        return lines;
    }

    /** The child's command line, for the {@code java} at {@code javaExecutable}, with {@link #argFile()} written. */
    List<String> command(String javaExecutable, String localAddress) {
        String host = hostname != null ? hostname : localAddress;
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable);
        cmd.add("-Xmx" + heapMb + "m");
        cmd.add("@" + argFile());
        cmd.add(MAIN_CLASS);
        cmd.addAll(List.of("--driver-url", driverUrl, "--executor-id", executorId, "--hostname", host,
                "--bind-address", host, "--cores", Integer.toString(cores), "--app-id", appId,
                "--resourceProfileId", "0"));
        return cmd;
    }

    /** An argument file's quoting: double quotes, with backslashes and quotes escaped. */
    private static String quote(String arg) {
        return "\"" + arg.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
