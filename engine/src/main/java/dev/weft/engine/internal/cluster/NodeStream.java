package dev.weft.engine.internal.cluster;

import dev.weft.engine.internal.cluster.proto.ActorCallRequest;
import dev.weft.engine.internal.cluster.proto.NodeGrpc;
import dev.weft.engine.internal.cluster.proto.ReplyBatch;
import dev.weft.engine.internal.cluster.proto.Submission;
import dev.weft.engine.internal.cluster.proto.SubmissionBatch;
import dev.weft.engine.internal.cluster.proto.SubmissionReply;
import dev.weft.engine.internal.cluster.proto.TaskReply;
import dev.weft.engine.internal.cluster.proto.TaskRequest;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This participant's submission stream to one node ({@code Node.Submit}): tasks and actor calls from any thread go
 * out in batches (see {@link BatchingSender}), in the order they were handed over; each reply comes back to the
 * observer given with its submission ({@code onNext} once). When the stream breaks (the node died, the connection
 * dropped, the token was refused) every submission without a reply gets {@code onError} once, and the stream is
 * dropped so the next submission to that node opens a fresh one. Thread-safe; {@link Channels} owns and closes it.
 */
final class NodeStream {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStream.class);
    private final String address;
    private final Runnable onBroken;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, StreamObserver<TaskReply>> waiting = new ConcurrentHashMap<>();
    private final BatchingSender<Submission, SubmissionBatch> sender =
            new BatchingSender<>(items -> SubmissionBatch.newBuilder().addAllItems(items).build());
    private volatile ClientCallStreamObserver<SubmissionBatch> call;
    private volatile Throwable broken;

    NodeStream(String address, Channel channel, Runnable onBroken) {
        this.address = address;
        this.onBroken = onBroken;
        NodeGrpc.newStub(channel).submit(new ClientResponseObserver<SubmissionBatch, ReplyBatch>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<SubmissionBatch> requests) {
                call = requests;
                requests.setOnReadyHandler(sender::ready);
            }

            @Override
            public void onNext(ReplyBatch batch) {
                for (SubmissionReply r : batch.getItemsList()) {
                    StreamObserver<TaskReply> to = waiting.remove(r.getId());
                    if (to != null) {
                        to.onNext(r.getReply());
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                fail(t);
            }

            @Override
            public void onCompleted() {
                fail(Status.UNAVAILABLE.withDescription("node " + address + " ended the submission stream")
                        .asRuntimeException());
            }
        });
        sender.attach(call);
    }

    void submitTask(TaskRequest task, StreamObserver<TaskReply> reply) {
        long id = ids.incrementAndGet();
        send(id, Submission.newBuilder().setId(id).setTask(task).build(), reply);
    }

    void callActor(ActorCallRequest actorCall, StreamObserver<TaskReply> reply) {
        long id = ids.incrementAndGet();
        send(id, Submission.newBuilder().setId(id).setCall(actorCall).build(), reply);
    }

    private void send(long id, Submission s, StreamObserver<TaskReply> reply) {
        int size = s.getSerializedSize();
        if (size > ClusterProtocol.MAX_MESSAGE_BYTES - 1024) {
            reply.onError(Status.RESOURCE_EXHAUSTED.withDescription((s.hasTask() ? "task " + s.getTask().getName()
                    : "actor call " + s.getCall().getName()) + " is " + size + " bytes encoded, more than the cluster's "
                    + "message limit of " + ClusterProtocol.MAX_MESSAGE_BYTES + " bytes (pass large values as refs)")
                    .asRuntimeException());
            return;
        }
        waiting.put(id, reply);
        // checked after registering: fail() either sees this entry or set broken before we looked
        Throwable why = broken;
        if (why != null) {
            if (waiting.remove(id) != null) {
                reply.onError(why);
            }
            return;
        }
        // nothing else in flight: a lone (likely synchronous) call goes out on this thread, no hop
        sender.add(s, waiting.size() == 1);
    }

    boolean isBroken() {
        return broken != null;
    }

    /** Every submission without a reply fails with {@code why}; the stream takes no more. Idempotent. */
    void fail(Throwable why) {
        if (broken == null) {
            broken = why;
        }
        sender.stop();
        onBroken.run();
        for (Long id : waiting.keySet()) {
            StreamObserver<TaskReply> to = waiting.remove(id);
            if (to != null) {
                try {
                    to.onError(broken);
                } catch (RuntimeException e) {
                    // one submission's failure handling must not keep the others from hearing of the loss
                    LOG.warn("handling the loss of a submission to {} failed: {}", address, e.toString());
                }
            }
        }
    }

    /** Cancels the stream (this participant is closing): replies still owed are not waited for. */
    void cancel(String why) {
        ClientCallStreamObserver<SubmissionBatch> c = call;
        if (c != null) {
            c.cancel(why, null);
        }
        fail(Status.CANCELLED.withDescription(why).asRuntimeException());
    }

    @Override
    public String toString() {
        return "NodeStream(" + address + ", " + waiting.size() + " waiting)";
    }
}
