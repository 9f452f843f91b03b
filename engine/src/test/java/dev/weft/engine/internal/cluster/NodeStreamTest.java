package dev.weft.engine.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.weft.engine.internal.cluster.proto.NodeGrpc;
import dev.weft.engine.internal.cluster.proto.ReplyBatch;
import dev.weft.engine.internal.cluster.proto.Submission;
import dev.weft.engine.internal.cluster.proto.SubmissionBatch;
import dev.weft.engine.internal.cluster.proto.SubmissionReply;
import dev.weft.engine.internal.cluster.proto.TaskReply;
import dev.weft.engine.internal.cluster.proto.TaskRequest;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The submission stream against a real gRPC server on 127.0.0.1 whose Node service the test scripts. */
class NodeStreamTest {
    private static final String TOKEN = "test-token";

    /** Answers each task with its name as the inline value, the batch's replies in reverse order; or breaks. */
    static final class ScriptedNode extends NodeGrpc.NodeImplBase {
        final AtomicInteger received = new AtomicInteger();
        final List<StreamObserver<ReplyBatch>> open = Collections.synchronizedList(new ArrayList<>());
        volatile boolean answer = true;

        @Override
        public StreamObserver<SubmissionBatch> submit(StreamObserver<ReplyBatch> out) {
            open.add(out);
            return new StreamObserver<>() {
                @Override
                public void onNext(SubmissionBatch batch) {
                    received.addAndGet(batch.getItemsCount());
                    if (!answer) {
                        return;
                    }
                    List<SubmissionReply> replies = new ArrayList<>();
                    for (Submission s : batch.getItemsList()) {
                        replies.add(SubmissionReply.newBuilder().setId(s.getId()).setReply(TaskReply.newBuilder()
                                .setInline(ByteString.copyFromUtf8(s.getTask().getName()))).build());
                    }
                    Collections.reverse(replies);
                    out.onNext(ReplyBatch.newBuilder().addAllItems(replies).build());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    out.onCompleted();
                }
            };
        }
    }

    /** One submission's outcome. */
    static final class Outcome implements StreamObserver<TaskReply> {
        final CompletableFuture<TaskReply> reply = new CompletableFuture<>();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void onNext(TaskReply value) {
            calls.incrementAndGet();
            reply.complete(value);
        }

        @Override
        public void onError(Throwable t) {
            calls.incrementAndGet();
            reply.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
        }

        Throwable error() throws InterruptedException {
            try {
                reply.get(30, TimeUnit.SECONDS);
                throw new AssertionError("expected a failure, got a reply");
            } catch (java.util.concurrent.ExecutionException e) {
                return e.getCause();
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("no outcome", e);
            }
        }
    }

    private final ScriptedNode node = new ScriptedNode();
    private Server server;
    private Channels channels;

    private String start() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(node, TokenAuth.server(TOKEN))).build().start();
        return "127.0.0.1:" + server.getPort();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (channels != null) {
            channels.close();
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static TaskRequest task(String name) {
        return TaskRequest.newBuilder().setJobId("job").setTaskId("t-" + name).setName(name).build();
    }

    @Test
    void eachReplyReachesItsOwnSubmissionWhateverOrderItComesIn() throws Exception {
        String address = start();
        channels = new Channels(TOKEN);
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Outcome o = new Outcome();
            outcomes.add(o);
            channels.stream(address).submitTask(task("n" + i), o);
        }
        for (int i = 0; i < outcomes.size(); i++) {
            TaskReply r = outcomes.get(i).reply.get(30, TimeUnit.SECONDS);
            assertEquals("n" + i, r.getInline().toStringUtf8());
            assertEquals(1, outcomes.get(i).calls.get());
        }
        assertTrue(node.open.size() == 1, "one stream per node carried every submission, saw " + node.open.size());
    }

    @Test
    void aStreamWithTheWrongTokenIsRefusedBeforeTheNodeSeesAnything() throws Exception {
        String address = start();
        channels = new Channels("wrong-token");
        Outcome o = new Outcome();
        channels.stream(address).submitTask(task("x"), o);
        assertEquals(Status.Code.UNAUTHENTICATED, Status.fromThrowable(o.error()).getCode());
        assertEquals(0, node.received.get());
        assertTrue(node.open.isEmpty());
    }

    @Test
    void aBrokenStreamFailsEverySubmissionWithoutAReplyOnceAndTheNextSubmissionOpensAFreshOne() throws Exception {
        String address = start();
        channels = new Channels(TOKEN);
        Outcome first = new Outcome();
        NodeStream stream = channels.stream(address);
        stream.submitTask(task("first"), first);
        first.reply.get(30, TimeUnit.SECONDS);
        node.answer = false;
        List<Outcome> inFlight = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Outcome o = new Outcome();
            inFlight.add(o);
            stream.submitTask(task("lost" + i), o);
        }
        while (node.received.get() < 21) {
            Thread.onSpinWait(); // until the node holds them all unanswered (bounded by the test's timeout)
        }
        node.open.getFirst().onError(Status.UNAVAILABLE.withDescription("node going away").asRuntimeException());
        for (Outcome o : inFlight) {
            assertEquals(Status.Code.UNAVAILABLE, Status.fromThrowable(o.error()).getCode());
            assertEquals(1, o.calls.get(), "each lost submission fails exactly once");
        }
        assertEquals(1, first.calls.get(), "an answered submission is not failed again");
        node.answer = true;
        NodeStream fresh = channels.stream(address);
        assertNotSame(stream, fresh);
        Outcome after = new Outcome();
        fresh.submitTask(task("after"), after);
        assertEquals("after", after.reply.get(30, TimeUnit.SECONDS).getInline().toStringUtf8());
    }
}
