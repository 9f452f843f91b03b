package dev.weft.engine.internal.cluster;

import dev.weft.engine.internal.cluster.proto.ReplyBatch;
import dev.weft.engine.internal.cluster.proto.Submission;
import dev.weft.engine.internal.cluster.proto.SubmissionBatch;
import dev.weft.engine.internal.cluster.proto.SubmissionReply;
import dev.weft.engine.internal.cluster.proto.TaskReply;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.Consumer;

/**
 * A node's end of one sender's submission stream: each task and actor call in an arriving batch is run as a unary
 * one would be (in the batch's order, so a caller's actor calls arrive in sequence), and replies go back in batches
 * as they finish, while the transport is ready. When the sender goes away, work already started runs on (job
 * release and cancel reach it by task id) and its replies are dropped. One per stream; gRPC serializes its calls.
 */
final class SubmissionReceiver implements StreamObserver<SubmissionBatch> {
    private final NodeService node;
    private final BatchingSender<SubmissionReply, ReplyBatch> replies =
            new BatchingSender<>(items -> ReplyBatch.newBuilder().addAllItems(items).build());

    private SubmissionReceiver(NodeService node) {
        this.node = node;
    }

    static SubmissionReceiver open(NodeService node, ServerCallStreamObserver<ReplyBatch> out) {
        SubmissionReceiver r = new SubmissionReceiver(node);
        out.setOnReadyHandler(r.replies::ready);
        out.setOnCancelHandler(r.replies::stop);
        r.replies.attach(out);
        return r;
    }

    @Override
    public void onNext(SubmissionBatch batch) {
        for (Submission s : batch.getItemsList()) {
            Consumer<TaskReply> reply = replyTo(s.getId());
            switch (s.getKindCase()) {
                case TASK -> node.runTask(s.getTask(), reply);
                case CALL -> node.runCall(s.getCall(), reply);
                case KIND_NOT_SET -> reply.accept(TaskReply.getDefaultInstance());
            }
        }
    }

    private Consumer<TaskReply> replyTo(long id) {
        // replies are made on the threads that ran the work (NodeService.replyWhenDone), often an actor's: they
        // queue and go on, a drainer sends
        return r -> replies.add(SubmissionReply.newBuilder().setId(id).setReply(r).build(), false);
    }

    @Override
    public void onError(Throwable t) {
        replies.stop();
    }

    @Override
    public void onCompleted() {
        replies.completeWhenDrained();
    }
}
