package dev.weft.engine.internal.cluster;

import dev.weft.engine.internal.cluster.proto.Empty;
import dev.weft.engine.internal.cluster.proto.JobId;
import dev.weft.engine.internal.cluster.proto.JobInfo;
import dev.weft.engine.internal.cluster.proto.JobLogChunk;
import dev.weft.engine.internal.cluster.proto.JobLogRequest;
import dev.weft.engine.internal.cluster.proto.JobUpload;
import dev.weft.engine.internal.cluster.proto.JobsGrpc;
import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client side of job submission ({@code weft job ...}): each call opens a channel to the head, makes its call
 * and closes it. A failed call throws {@link IllegalArgumentException} with the head's message.
 */
public final class JobClient implements AutoCloseable {
    private final String address;
    private final Channels channels;
    private final String head;
    private final boolean plaintext;

    public JobClient(String address, String token) {
        this(address, token, ClusterTls.NONE);
    }

    public JobClient(String address, String token, ClusterTls tls) {
        this.address = address;
        this.channels = new Channels(token, tls);
        this.plaintext = !tls.enabled();
        this.head = ClusterProtocol.hostPort(ClusterProtocol.parseAddress(address));
    }

    /** What to run: the jar's main class with its arguments, in a driver JVM with these extra options. */
    public record Submission(Path jar, String mainClass, List<String> args, List<String> jvmOptions, String jobId) {
    }

    /** Uploads the jar in chunks and starts the job; returns it as the head reports it (running). */
    public JobInfo submit(Submission s) {
        if (!Files.isRegularFile(s.jar())) {
            throw new IllegalArgumentException("no jar at " + s.jar());
        }
        CompletableFuture<JobInfo> done = new CompletableFuture<>();
        StreamObserver<JobUpload> upload = JobsGrpc.newStub(channels.get(head)).submit(new StreamObserver<>() {
            @Override
            public void onNext(JobInfo info) {
                done.complete(info);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        });
        try (InputStream in = Files.newInputStream(s.jar())) {
            long size = Files.size(s.jar());
            JobUpload.Builder first = JobUpload.newBuilder().setJobId(s.jobId() == null ? "" : s.jobId())
                    .setMainClass(s.mainClass()).addAllArgs(s.args()).addAllJvmOptions(s.jvmOptions())
                    .setJarName(s.jar().getFileName().toString()).setJarSize(size);
            byte[] buf = new byte[ClusterProtocol.CHUNK_BYTES];
            boolean sent = false;
            for (int n; (n = in.readNBytes(buf, 0, buf.length)) > 0 || !sent; ) {
                JobUpload.Builder chunk = sent ? JobUpload.newBuilder() : first;
                upload.onNext(chunk.setJar(ByteString.copyFrom(buf, 0, n)).build());
                sent = true;
                if (done.isDone()) {
                    break; // the head refused the job already
                }
            }
            upload.onCompleted();
        } catch (IOException e) {
            upload.onError(e);
            throw new IllegalArgumentException("reading the jar " + s.jar() + " failed: " + e, e);
        }
        return await(done);
    }

    private JobInfo await(CompletableFuture<JobInfo> done) {
        try {
            return done.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("the head at " + address + " did not answer within 120 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while submitting to " + address, e);
        }
    }

    private RuntimeException failure(Throwable t) {
        if (t instanceof StatusRuntimeException s) {
            if (s.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE
                    || s.getStatus().getCode() == io.grpc.Status.Code.UNAUTHENTICATED) {
                return ClusterConnect.connectError(address, s, plaintext);
            }
            String d = s.getStatus().getDescription();
            return new IllegalArgumentException(d != null ? d : s.getStatus().toString(), s);
        }
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }

    public JobInfo status(String jobId) {
        try {
            return stub().status(JobId.newBuilder().setJobId(jobId).build());
        } catch (StatusRuntimeException e) {
            throw failure(e);
        }
    }

    public List<JobInfo> list() {
        try {
            return stub().list(Empty.getDefaultInstance()).getJobsList();
        } catch (StatusRuntimeException e) {
            throw failure(e);
        }
    }

    /** The job's log from byte {@code offset}: up to 1 MiB of it, where to continue, and whether it has ended. */
    public JobLogChunk logs(String jobId, long offset) {
        try {
            return stub().logs(JobLogRequest.newBuilder().setJobId(jobId).setOffset(offset).build());
        } catch (StatusRuntimeException e) {
            throw failure(e);
        }
    }

    public JobInfo stop(String jobId) {
        try {
            return stub().withDeadlineAfter(60, TimeUnit.SECONDS).stop(JobId.newBuilder().setJobId(jobId).build());
        } catch (StatusRuntimeException e) {
            throw failure(e);
        }
    }

    private JobsGrpc.JobsBlockingStub stub() {
        return JobsGrpc.newBlockingStub(channels.get(head)).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channels.close();
    }
}
