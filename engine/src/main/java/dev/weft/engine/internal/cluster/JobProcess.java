package dev.weft.engine.internal.cluster;

import dev.weft.engine.internal.cluster.proto.JobInfo;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * One submitted job: its driver JVM (the head's JDK, JVM flags and class path with the job's jar first, connected
 * to this cluster through {@code WEFT_ADDRESS} and {@code WEFT_TOKEN}), its log and its state, kept in
 * {@code job.properties} beside the jar. Thread-safe.
 */
final class JobProcess {
    static final String PENDING = "PENDING";
    static final String RUNNING = "RUNNING";
    static final String SUCCEEDED = "SUCCEEDED";
    static final String FAILED = "FAILED";
    static final String STOPPED = "STOPPED";
    /** A job whose driver outlived a restart of the head: it ended, with an exit code no one could read. */
    static final String ENDED = "ENDED";

    private static final String STATE_FILE = "job.properties";
    private static final String LOG_FILE = "driver.log";

    private final Path dir;
    private final Process process;
    /** The driver of a job loaded from an earlier head, still running (not this JVM's child). */
    private volatile ProcessHandle adopted;
    private volatile JobInfo info;
    private volatile String stopReason;

    private JobProcess(Path dir, Process process, JobInfo info) {
        this.dir = dir;
        this.process = process;
        this.info = info;
    }

    String id() {
        return info.getJobId();
    }

    JobInfo info() {
        return info;
    }

    long pid() {
        ProcessHandle h = adopted;
        return process != null ? process.pid() : h != null ? h.pid() : -1;
    }

    Path log() {
        return dir.resolve(LOG_FILE);
    }

    boolean ended() {
        String s = info.getState();
        return !s.equals(RUNNING) && !s.equals(PENDING);
    }

    /** Fails naming the class and the jar unless {@code jar} is a jar that holds {@code mainClass}. */
    static void checkMainClass(Path jar, String mainClass) {
        String entry = mainClass.replace('.', '/') + ".class";
        try (JarFile f = new JarFile(jar.toFile())) {
            if (f.getEntry(entry) == null) {
                throw new IllegalArgumentException("the jar " + jar.getFileName() + " has no class " + mainClass
                        + " (no entry " + entry + ")");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the file " + jar.getFileName() + " is not a readable jar: " + e.getMessage());
        }
    }

    /** Starts the driver JVM of the job in {@code dir}. */
    static JobProcess launch(Path dir, Path jar, String mainClass, List<String> args, List<String> jvmOptions,
                             String headAddress, String token, ClusterTls tls) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // the head's JVM flags (the engine's --add-opens and native access), not its heap size or agents
            if (!flag.startsWith("-Xmx") && !flag.startsWith("-Xms") && !flag.startsWith("-agentlib")
                    && !flag.startsWith("-javaagent") && !flag.startsWith("-Dweft.")) {
                cmd.add(flag);
            }
        }
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(jar.toAbsolutePath() + File.pathSeparator + System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(LOG_FILE).toFile());
        pb.environment().put("WEFT_ADDRESS", headAddress);
        pb.environment().put(ClusterProtocol.TOKEN_ENV, token);
        pb.environment().put("WEFT_JOB_ID", dir.getFileName().toString());
        tls.exportTo(pb.environment());
        JobInfo.Builder info = JobInfo.newBuilder().setJobId(dir.getFileName().toString()).setMainClass(mainClass)
                .setJarName(jar.getFileName().toString()).setStartMillis(System.currentTimeMillis());
        Process p = pb.start();
        JobProcess job = new JobProcess(dir, p, info.setState(RUNNING).build());
        job.save();
        p.onExit().thenRun(job::exited);
        return job;
    }

    private void exited() {
        int code = process.exitValue();
        String reason = stopReason;
        JobInfo.Builder b = info.toBuilder().setExitCode(code).setEndMillis(System.currentTimeMillis());
        if (reason != null) {
            b.setState(STOPPED).setMessage(reason);
        } else if (code == 0) {
            b.setState(SUCCEEDED);
        } else {
            b.setState(FAILED).setMessage("the driver exited with code " + code + " (see weft job logs " + id() + ")");
        }
        info = b.build();
        save();
    }

    /** Ends the driver: SIGTERM, then SIGKILL after five seconds. */
    void stop(String reason) {
        if (ended()) {
            return;
        }
        stopReason = reason;
        if (process == null) {
            ProcessHandle h = adopted;
            if (h != null) {
                h.destroy();
                try {
                    h.onExit().get(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    h.destroyForcibly();
                }
            }
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            process.onExit().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the exit callback records the state when it runs
        }
        if (!ended()) {
            exited();
        }
    }

    private synchronized void save() {
        Properties p = new Properties();
        JobInfo i = info;
        p.setProperty("jobId", i.getJobId());
        p.setProperty("state", i.getState());
        p.setProperty("exitCode", String.valueOf(i.getExitCode()));
        p.setProperty("mainClass", i.getMainClass());
        p.setProperty("jarName", i.getJarName());
        p.setProperty("startMillis", String.valueOf(i.getStartMillis()));
        p.setProperty("endMillis", String.valueOf(i.getEndMillis()));
        p.setProperty("message", i.getMessage());
        p.setProperty("pid", String.valueOf(pid()));
        Path tmp = dir.resolve(STATE_FILE + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "a Weft job");
            Files.move(tmp, dir.resolve(STATE_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(JobProcess.class).warn("the state of job {} cannot be saved in {}: {}",
                    i.getJobId(), dir, e.toString());
        }
    }

    /**
     * The job recorded in {@code dir} by an earlier head (empty if none is). A job recorded as running whose driver
     * still runs is watched until it ends; one whose driver is gone ended while no head watched it.
     */
    static Optional<JobProcess> load(Path dir) {
        Path file = dir.resolve(STATE_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        JobInfo.Builder b = JobInfo.newBuilder().setJobId(p.getProperty("jobId", dir.getFileName().toString()))
                .setState(p.getProperty("state", FAILED)).setExitCode(Integer.parseInt(p.getProperty("exitCode", "0")))
                .setMainClass(p.getProperty("mainClass", "")).setJarName(p.getProperty("jarName", ""))
                .setStartMillis(Long.parseLong(p.getProperty("startMillis", "0")))
                .setEndMillis(Long.parseLong(p.getProperty("endMillis", "0"))).setMessage(p.getProperty("message", ""));
        JobProcess job = new JobProcess(dir, null, b.build());
        if (job.ended()) {
            return Optional.of(job);
        }
        long pid = Long.parseLong(p.getProperty("pid", "-1"));
        Optional<ProcessHandle> alive = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        String unread = "the head restarted while the job ran, so its exit code was not read";
        if (alive.isPresent()) {
            job.adopted = alive.get();
            alive.get().onExit().thenRun(() -> {
                String reason = job.stopReason;
                job.info = job.info.toBuilder().setState(reason != null ? STOPPED : ENDED)
                        .setEndMillis(System.currentTimeMillis()).setMessage(reason != null ? reason : unread).build();
                job.save();
            });
        } else {
            job.info = job.info.toBuilder().setState(ENDED).setMessage(unread).build();
            job.save();
        }
        return Optional.of(job);
    }
}
