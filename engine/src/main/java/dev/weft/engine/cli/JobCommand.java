package dev.weft.engine.cli;

import dev.weft.engine.internal.cluster.JobClient;
import dev.weft.engine.internal.cluster.proto.JobInfo;
import dev.weft.engine.internal.cluster.proto.JobLogChunk;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code weft job submit|status|logs|stop|list}: programs run on the cluster as drivers started by the head (Ray's
 * job submission, for the JVM).
 */
@Command(name = "job", mixinStandardHelpOptions = true, description = "Submit and follow jobs on a running cluster.",
        subcommands = {JobCommand.Submit.class, JobCommand.Status.class, JobCommand.Logs.class, JobCommand.Stop.class,
                JobCommand.ListJobs.class})
final class JobCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Send a jar to the head and run its main class there as a driver of the cluster.")
    static final class Submit implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Option(names = "--jar", required = true, description = "the application jar (its classes reach the nodes as job code)")
        Path jar;

        @Option(names = "--class", required = true, description = "the main class in the jar")
        String mainClass;

        @Option(names = "--job-id", description = "a name for the job (default: job-<date>-<time>-<random>)")
        String jobId;

        @Option(names = "--jvm-option", description = "an option of the driver JVM, e.g. --jvm-option=-Xmx2g (repeatable)")
        List<String> jvmOptions = new ArrayList<>();

        @Option(names = "--no-wait", description = "return once the job runs, without following its log")
        boolean noWait;

        @Parameters(description = "arguments of the main class (after --)")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws InterruptedException {
            try (JobClient client = new JobClient(connection.address(), connection.token(), connection.tls())) {
                JobInfo job = client.submit(new JobClient.Submission(jar, mainClass, args, jvmOptions, jobId));
                System.out.println("weft: job " + job.getJobId() + " submitted (" + job.getState() + ")");
                if (noWait) {
                    System.out.println("weft: follow it with 'weft job logs --follow " + job.getJobId() + "'");
                    return 0;
                }
                JobInfo end = follow(client, job.getJobId(), System.out);
                System.out.println("weft: job " + end.getJobId() + " " + describe(end));
                return end.getState().equals("SUCCEEDED") ? 0 : 1;
            }
        }
    }

    /** A command on one job that prints the job's state after it ({@code status}, {@code stop}). */
    abstract static class OnOneJob implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Parameters(index = "0", description = "the job id")
        String jobId;

        abstract JobInfo apply(JobClient client, String jobId);

        @Override
        public Integer call() {
            try (JobClient client = new JobClient(connection.address(), connection.token(), connection.tls())) {
                JobInfo job = apply(client, jobId);
                System.out.println(job.getJobId() + " " + describe(job));
                return 0;
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "The state of a job.")
    static final class Status extends OnOneJob {
        @Override
        JobInfo apply(JobClient client, String jobId) {
            return client.status(jobId);
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true, description = "The output of a job's driver.")
    static final class Logs implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Option(names = {"-f", "--follow"}, description = "keep printing until the job ends")
        boolean follow;

        @Parameters(index = "0", description = "the job id")
        String jobId;

        @Override
        public Integer call() throws InterruptedException {
            try (JobClient client = new JobClient(connection.address(), connection.token(), connection.tls())) {
                if (follow) {
                    follow(client, jobId, System.out);
                    return 0;
                }
                long offset = 0;
                while (true) {
                    JobLogChunk c = client.logs(jobId, offset);
                    System.out.write(c.getData().toByteArray(), 0, c.getData().size());
                    if (c.getNextOffset() == offset || c.getEnded()) {
                        System.out.flush();
                        return 0;
                    }
                    offset = c.getNextOffset();
                }
            }
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a job's driver (SIGTERM, then SIGKILL).")
    static final class Stop extends OnOneJob {
        @Override
        JobInfo apply(JobClient client, String jobId) {
            return client.stop(jobId);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every job the head knows, oldest first.")
    static final class ListJobs implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Override
        public Integer call() {
            try (JobClient client = new JobClient(connection.address(), connection.token(), connection.tls())) {
                List<JobInfo> jobs = client.list();
                System.out.printf("%-36s %-10s %-5s %-24s %s%n", "JOB", "STATE", "EXIT", "STARTED", "MAIN CLASS");
                for (JobInfo j : jobs) {
                    System.out.printf("%-36s %-10s %-5s %-24s %s%n", j.getJobId(), j.getState(),
                            j.getEndMillis() == 0 ? "" : String.valueOf(j.getExitCode()),
                            Instant.ofEpochMilli(j.getStartMillis()), j.getMainClass());
                }
                return 0;
            }
        }
    }

    /** Prints the job's log as it grows until the job has ended; returns its final state. */
    static JobInfo follow(JobClient client, String jobId, PrintStream out) throws InterruptedException {
        long offset = 0;
        while (true) {
            JobLogChunk c = client.logs(jobId, offset);
            out.write(c.getData().toByteArray(), 0, c.getData().size());
            out.flush();
            if (c.getEnded()) {
                return client.status(jobId);
            }
            if (c.getNextOffset() == offset) {
                Thread.sleep(200);
            }
            offset = c.getNextOffset();
        }
    }

    static String describe(JobInfo j) {
        StringBuilder b = new StringBuilder(j.getState());
        if (j.getEndMillis() != 0) {
            b.append(" (exit ").append(j.getExitCode()).append(", ")
                    .append(String.format("%.1f s", (j.getEndMillis() - j.getStartMillis()) / 1000.0)).append(')');
        }
        if (!j.getMessage().isEmpty()) {
            b.append(": ").append(j.getMessage());
        }
        return b.append(" — ").append(j.getMainClass()).append(" from ").append(j.getJarName()).toString();
    }
}
