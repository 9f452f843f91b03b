package dev.weft.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.WeftException;
import dev.weft.engine.cli.WeftCli;
import dev.weft.engine.internal.cluster.JobClient;
import dev.weft.engine.internal.cluster.proto.JobInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code weft job submit}: a jar built here (its classes exist nowhere else) runs on the head as a driver of the
 * cluster, whose tasks run on the nodes; its log, state and exit code come back; a job that fails, one that is
 * stopped, and submissions the head refuses (no such class, not a jar, a job id taken, a wrong token) say why.
 */
@ExtendWith(ClusterSessions.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterJobSubmitTest {
    private static final String SOURCE = """
            package submitted;

            import dev.weft.api.Weft;
            import java.util.ArrayList;
            import java.util.List;

            public final class Squares {
                public static long square(long x) {
                    return x * x;
                }

                public static void main(String[] args) throws Exception {
                    if (args.length > 0 && args[0].equals("fail")) {
                        System.out.println("failing on purpose");
                        System.exit(3);
                    }
                    if (args.length > 0 && args[0].equals("sleep")) {
                        System.out.println("sleeping");
                        System.out.flush();
                        Thread.sleep(600_000);
                    }
                    try (Weft weft = Weft.init()) {
                        List<dev.weft.api.ObjectRef<Long>> refs = new ArrayList<>();
                        for (long i = 1; i <= 10; i++) {
                            refs.add(weft.task(Squares::square, i).remote());
                        }
                        long sum = 0;
                        for (Long v : weft.get(refs)) {
                            sum += v;
                        }
                        System.out.println("SUM OF SQUARES " + sum + " as job " + System.getenv("WEFT_JOB_ID"));
                    }
                }
            }
            """;

    private static Path jar;

    @BeforeAll
    static void buildJar(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/submitted")).resolve("Squares.java");
        Files.writeString(src, SOURCE);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), src.toString());
        assertEquals(0, rc, "the job's class compiles");
        jar = dir.resolve("squares.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); var files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    @Test
    void aSubmittedJarRunsAsADriverOfTheClusterAndItsLogComesBack(ClusterProcesses cluster) {
        String[] out = cli("job", "submit", "--address", cluster.address(), "--token", cluster.token(),
                "--jar", jar.toString(), "--class", "submitted.Squares", "--job-id", "squares-1");
        assertEquals("0", out[0], out[1]);
        assertTrue(out[1].contains("SUM OF SQUARES 385 as job squares-1"), out[1]);
        assertTrue(out[1].contains("weft: job squares-1 SUCCEEDED (exit 0"), out[1]);

        String[] status = cli("job", "status", "--address", cluster.address(), "--token", cluster.token(), "squares-1");
        assertTrue(status[1].startsWith("squares-1 SUCCEEDED (exit 0"), status[1]);
        String[] list = cli("job", "list", "--address", cluster.address(), "--token", cluster.token());
        assertTrue(list[1].lines().anyMatch(l -> l.startsWith("squares-1") && l.contains("SUCCEEDED")
                && l.contains("submitted.Squares")), list[1]);
        String[] logs = cli("job", "logs", "--address", cluster.address(), "--token", cluster.token(), "squares-1");
        assertTrue(logs[1].contains("SUM OF SQUARES 385"), logs[1]);
    }

    @Test
    void aFailingDriverIsFailedWithItsExitCodeAndAStoppedOneIsStopped(ClusterProcesses cluster) throws Exception {
        try (JobClient client = new JobClient(cluster.address(), cluster.token())) {
            JobInfo failing = client.submit(new JobClient.Submission(jar, "submitted.Squares", List.of("fail"), List.of(), null));
            JobInfo failed = awaitEnd(client, failing.getJobId());
            assertEquals("FAILED", failed.getState());
            assertEquals(3, failed.getExitCode());
            assertTrue(failed.getMessage().contains("exited with code 3"), failed.getMessage());

            JobInfo sleeping = client.submit(new JobClient.Submission(jar, "submitted.Squares", List.of("sleep"),
                    List.of("-Xmx64m"), "sleeper"));
            assertEquals("RUNNING", sleeping.getState());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!client.logs("sleeper", 0).getData().toStringUtf8().contains("sleeping")
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            JobInfo stopped = client.stop("sleeper");
            assertEquals("STOPPED", stopped.getState(), stopped::toString);
            assertTrue(stopped.getMessage().contains("weft job stop"), stopped.getMessage());
            assertTrue(client.logs("sleeper", 0).getEnded(), "a stopped job's log has ended");
        }
    }

    @Test
    void submissionsTheHeadRefusesSayWhy(ClusterProcesses cluster, @org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        try (JobClient client = new JobClient(cluster.address(), cluster.token())) {
            IllegalArgumentException noClass = assertThrows(IllegalArgumentException.class, () -> client.submit(
                    new JobClient.Submission(jar, "submitted.Nope", List.of(), List.of(), null)));
            assertTrue(noClass.getMessage().contains("the jar squares.jar has no class submitted.Nope"), noClass.getMessage());

            Path notAJar = Files.writeString(dir.resolve("notes.jar"), "not a zip file");
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> client.submit(
                    new JobClient.Submission(notAJar, "submitted.Squares", List.of(), List.of(), null)));
            assertTrue(bad.getMessage().contains("notes.jar is not a readable jar"), bad.getMessage());

            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> client.submit(
                    new JobClient.Submission(dir.resolve("absent.jar"), "submitted.Squares", List.of(), List.of(), null)));
            assertTrue(missing.getMessage().contains("no jar at") && missing.getMessage().contains("absent.jar"),
                    missing.getMessage());

            client.submit(new JobClient.Submission(jar, "submitted.Squares", List.of("fail"), List.of(), "taken"));
            IllegalArgumentException taken = assertThrows(IllegalArgumentException.class, () -> client.submit(
                    new JobClient.Submission(jar, "submitted.Squares", List.of(), List.of(), "taken")));
            assertTrue(taken.getMessage().contains("a job named taken exists already"), taken.getMessage());

            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> client.status("nope"));
            assertTrue(unknown.getMessage().contains("no job nope"), unknown.getMessage());
        }
        try (JobClient wrong = new JobClient(cluster.address(), "not-the-token")) {
            WeftException rejected = assertThrows(WeftException.class, wrong::list);
            assertTrue(rejected.getMessage().contains("rejected"), rejected.getMessage());
        }
    }

    private static JobInfo awaitEnd(JobClient client, String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            JobInfo j = client.status(jobId);
            if (!j.getState().equals("RUNNING") && !j.getState().equals("PENDING")) {
                return j;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + jobId + " did not end within 120 s: " + client.status(jobId));
    }

    /** Runs the CLI in this JVM; returns its exit code and everything it printed. */
    private static synchronized String[] cli(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            int rc = WeftCli.run(args);
            return new String[] {String.valueOf(rc), buf.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
