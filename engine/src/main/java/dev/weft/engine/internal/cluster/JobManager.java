package dev.weft.engine.internal.cluster;

import dev.weft.engine.internal.cluster.proto.Empty;
import dev.weft.engine.internal.cluster.proto.JobId;
import dev.weft.engine.internal.cluster.proto.JobInfo;
import dev.weft.engine.internal.cluster.proto.JobList;
import dev.weft.engine.internal.cluster.proto.JobLogChunk;
import dev.weft.engine.internal.cluster.proto.JobLogRequest;
import dev.weft.engine.internal.cluster.proto.JobUpload;
import dev.weft.engine.internal.cluster.proto.JobsGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head's job service: a submitted jar is written to a directory of its own under {@code jobsDir}, checked (a
 * jar that holds the main class), and run as a driver JVM of this cluster ({@link JobProcess}); its output goes to
 * {@code driver.log} there and its state to {@code job.properties}, so a restarted head still lists it.
 * Thread-safe.
 */
public final class JobManager extends JobsGrpc.JobsImplBase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobManager.class);
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern CLASS_NAME = Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.]*");
    private static final int LOG_CHUNK = 1 << 20;

    private final Path jobsDir;
    private final Supplier<String> headAddress;
    private final String token;
    private final ClusterTls tls;
    private final Map<String, JobProcess> jobs = new ConcurrentHashMap<>();

    /** {@code headAddress}: where the drivers connect (known once the head's server is up); {@code tls}: theirs too. */
    public JobManager(Path jobsDir, Supplier<String> headAddress, String token, ClusterTls tls) throws IOException {
        this.jobsDir = Files.createDirectories(jobsDir);
        this.headAddress = headAddress;
        this.token = token;
        this.tls = tls;
        try (var dirs = Files.list(jobsDir)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                JobProcess.load(dir).ifPresent(j -> jobs.put(j.id(), j));
            }
        }
    }

    @Override
    public StreamObserver<JobUpload> submit(StreamObserver<JobInfo> reply) {
        return new StreamObserver<>() {
            private JobUpload first;
            private Path dir;
            private Path jar;
            private OutputStream out;
            private long received;
            private boolean failed;

            @Override
            public void onNext(JobUpload chunk) {
                if (failed) {
                    return;
                }
                try {
                    if (first == null) {
                        first = chunk;
                        start(chunk);
                    }
                    out.write(chunk.getJar().toByteArray());
                    received += chunk.getJar().size();
                } catch (IOException e) {
                    fail(Status.INTERNAL.withDescription("writing the jar of job " + jobId() + " to " + jar + " failed: " + e));
                } catch (IllegalArgumentException e) {
                    fail(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
                } catch (IllegalStateException e) {
                    fail(Status.ALREADY_EXISTS.withDescription(e.getMessage()));
                }
            }

            private String jobId() {
                return first == null ? "?" : dir == null ? first.getJobId() : dir.getFileName().toString();
            }

            private void start(JobUpload d) throws IOException {
                String id = d.getJobId().isEmpty() ? newJobId() : d.getJobId();
                if (!JOB_ID.matcher(id).matches()) {
                    throw new IllegalArgumentException("job id '" + id + "' is not valid: letters, digits, '.', '_' "
                            + "and '-', at most 100, starting with a letter or digit");
                }
                if (!CLASS_NAME.matcher(d.getMainClass()).matches()) {
                    throw new IllegalArgumentException("job " + id + ": '" + d.getMainClass() + "' is not a class name");
                }
                String name = Path.of(d.getJarName().isEmpty() ? "app.jar" : d.getJarName()).getFileName().toString();
                dir = jobsDir.resolve(id);
                try {
                    Files.createDirectory(dir);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    dir = null;
                    throw new IllegalStateException("a job named " + id + " exists already (weft job list)");
                }
                jar = dir.resolve(name);
                out = Files.newOutputStream(jar);
            }

            private void fail(Status status) {
                failed = true;
                closeQuietly();
                deleteDir();
                reply.onError(status.asRuntimeException());
            }

            private void closeQuietly() {
                try {
                    if (out != null) {
                        out.close();
                    }
                } catch (IOException ignored) {
                    // the upload failed already
                }
            }

            private void deleteDir() {
                if (dir == null) {
                    return;
                }
                try (var files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a leftover directory of a failed upload
                }
            }

            @Override
            public void onError(Throwable t) {
                if (!failed) {
                    failed = true;
                    closeQuietly();
                    deleteDir();
                    LOG.info("the upload of job {} was abandoned by its client: {}", jobId(), t.toString());
                }
            }

            @Override
            public void onCompleted() {
                if (failed) {
                    return;
                }
                if (first == null) {
                    reply.onError(Status.INVALID_ARGUMENT.withDescription("an empty job upload").asRuntimeException());
                    return;
                }
                closeQuietly();
                if (first.getJarSize() != received) {
                    fail(Status.DATA_LOSS.withDescription("job " + jobId() + ": the jar " + jar.getFileName()
                            + " arrived with " + received + " bytes of " + first.getJarSize()));
                    return;
                }
                try {
                    JobProcess.checkMainClass(jar, first.getMainClass());
                } catch (IllegalArgumentException e) {
                    fail(Status.INVALID_ARGUMENT.withDescription("job " + jobId() + ": " + e.getMessage()));
                    return;
                }
                try {
                    JobProcess job = JobProcess.launch(dir, jar, first.getMainClass(), first.getArgsList(),
                            first.getJvmOptionsList(), headAddress.get(), token, tls);
                    jobs.put(job.id(), job);
                    LOG.info("job {} started: {} from {} (driver pid {})", job.id(), first.getMainClass(),
                            jar.getFileName(), job.pid());
                    reply.onNext(job.info());
                    reply.onCompleted();
                } catch (IOException e) {
                    fail(Status.INTERNAL.withDescription("job " + jobId() + ": its driver JVM could not start: " + e));
                }
            }
        };
    }

    private static String newJobId() {
        return "job-" + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private JobProcess job(String id, StreamObserver<?> reply) {
        JobProcess job = jobs.get(id);
        if (job == null) {
            reply.onError(Status.NOT_FOUND.withDescription("no job " + id + " on this cluster (weft job list)")
                    .asRuntimeException());
        }
        return job;
    }

    @Override
    public void status(JobId request, StreamObserver<JobInfo> reply) {
        JobProcess job = job(request.getJobId(), reply);
        if (job != null) {
            reply.onNext(job.info());
            reply.onCompleted();
        }
    }

    @Override
    public void list(Empty request, StreamObserver<JobList> reply) {
        List<JobInfo> all = jobs.values().stream().map(JobProcess::info)
                .sorted(Comparator.comparingLong(JobInfo::getStartMillis)).toList();
        reply.onNext(JobList.newBuilder().addAllJobs(all).build());
        reply.onCompleted();
    }

    @Override
    public void logs(JobLogRequest request, StreamObserver<JobLogChunk> reply) {
        JobProcess job = job(request.getJobId(), reply);
        if (job == null) {
            return;
        }
        boolean ended = job.ended(); // read before the log: output written before the end is in the file by now
        Path log = job.log();
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long size = f.length();
            long from = Math.min(Math.max(0, request.getOffset()), size);
            byte[] data = new byte[(int) Math.min(LOG_CHUNK, size - from)];
            f.seek(from);
            f.readFully(data);
            long next = from + data.length;
            reply.onNext(JobLogChunk.newBuilder().setData(com.google.protobuf.ByteString.copyFrom(data))
                    .setNextOffset(next).setEnded(ended && next == size).build());
            reply.onCompleted();
        } catch (IOException e) {
            reply.onError(Status.INTERNAL.withDescription("the log of job " + job.id() + " (" + log + ") cannot be read: "
                    + e).asRuntimeException());
        }
    }

    @Override
    public void stop(JobId request, StreamObserver<JobInfo> reply) {
        JobProcess job = job(request.getJobId(), reply);
        if (job != null) {
            job.stop("stopped by 'weft job stop'");
            reply.onNext(job.info());
            reply.onCompleted();
        }
    }

    /** Stops every running driver (the head is going away, and its cluster with it). */
    @Override
    public void close() {
        for (JobProcess job : jobs.values()) {
            if (!job.ended()) {
                job.stop("stopped because the cluster stopped");
            }
        }
    }
}
