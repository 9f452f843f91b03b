package dev.weft.engine.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.engine.internal.cluster.proto.Submission;
import io.grpc.stub.CallStreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Batching under gRPC flow control, with the drains run by hand: no threads, no timing. */
class BatchingSenderTest {
    /** A stream whose readiness the test sets, recording what is sent. */
    static final class FakeStream extends CallStreamObserver<List<Submission>> {
        boolean ready;
        boolean completed;
        final List<List<Submission>> sent = new ArrayList<>();

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void onNext(List<Submission> batch) {
            sent.add(batch);
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
            completed = true;
        }

        @Override
        public void setOnReadyHandler(Runnable onReadyHandler) {
        }

        @Override
        public void disableAutoInboundFlowControl() {
        }

        @Override
        public void request(int count) {
        }

        @Override
        public void setMessageCompression(boolean enable) {
        }
    }

    private final ArrayDeque<Runnable> drains = new ArrayDeque<>();
    private final FakeStream stream = new FakeStream();
    private final BatchingSender<Submission, List<Submission>> sender = new BatchingSender<>(List::copyOf, drains::add);

    private static Submission item(long id) {
        return Submission.newBuilder().setId(id).build();
    }

    private void runDrains() {
        while (!drains.isEmpty()) {
            drains.poll().run();
        }
    }

    private List<Long> sentIds() {
        return stream.sent.stream().flatMap(List::stream).map(Submission::getId).toList();
    }

    @Test
    void itemsQueuedWhileTheTransportIsNotReadyGoTogetherInOrderOnceItIs() {
        sender.attach(stream);
        for (long i = 0; i < 5; i++) {
            sender.add(item(i), false);
        }
        runDrains();
        assertTrue(stream.sent.isEmpty(), "nothing may be sent while the transport is not ready");
        stream.ready = true;
        sender.ready(); // gRPC's on-ready callback
        runDrains();
        assertEquals(1, stream.sent.size());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), sentIds());
    }

    @Test
    void aLoneItemAddedInlineLeavesAtOnceOnTheCallersThread() {
        stream.ready = true;
        sender.attach(stream);
        sender.add(item(7), true);
        assertEquals(List.of(7L), sentIds());
        assertTrue(drains.isEmpty(), "no hop for a lone item");
    }

    @Test
    void aBatchHoldsAtMostMaxItemsAndTheRestFollowsInOrder() {
        sender.attach(stream);
        int n = BatchingSender.MAX_ITEMS * 2 + 3;
        for (long i = 0; i < n; i++) {
            sender.add(item(i), false);
        }
        stream.ready = true;
        sender.ready();
        runDrains();
        assertEquals(3, stream.sent.size());
        assertTrue(stream.sent.stream().allMatch(b -> b.size() <= BatchingSender.MAX_ITEMS));
        assertEquals(LongStream.range(0, n).boxed().toList(), sentIds());
    }

    @Test
    void aBatchStaysUnderMaxBytesAndABigItemGoesAlone() {
        sender.attach(stream);
        com.google.protobuf.ByteString third = com.google.protobuf.ByteString.copyFrom(new byte[BatchingSender.MAX_BYTES / 3]);
        com.google.protobuf.ByteString big = com.google.protobuf.ByteString.copyFrom(new byte[BatchingSender.MAX_BYTES + 1]);
        for (long i = 0; i < 4; i++) {
            sender.add(Submission.newBuilder().setId(i).setTask(
                    dev.weft.engine.internal.cluster.proto.TaskRequest.newBuilder().setFunction(i == 3 ? big : third)).build(), false);
        }
        stream.ready = true;
        sender.ready();
        runDrains();
        // three thirds pass the cap only with their framing, so two fit; the big one travels alone
        assertEquals(List.of(2, 1, 1), stream.sent.stream().map(List::size).toList());
        assertEquals(List.of(0L, 1L, 2L, 3L), sentIds());
    }

    @Test
    void itemsAddedBeforeTheStreamIsAttachedWaitForIt() {
        stream.ready = true;
        sender.add(item(1), true);
        sender.add(item(2), false);
        runDrains();
        assertTrue(stream.sent.isEmpty());
        sender.attach(stream);
        runDrains();
        assertEquals(List.of(1L, 2L), sentIds());
    }

    @Test
    void aStoppedSenderDropsWhatIsQueuedAndSendsNothingMore() {
        sender.attach(stream);
        sender.add(item(1), false);
        sender.stop();
        stream.ready = true;
        sender.ready();
        sender.add(item(2), true);
        runDrains();
        assertTrue(stream.sent.isEmpty());
    }

    @Test
    void completingWhenDrainedSendsWhatIsQueuedFirst() {
        sender.attach(stream);
        sender.add(item(1), false);
        sender.completeWhenDrained();
        runDrains();
        assertTrue(!stream.completed && stream.sent.isEmpty(), "not ready: neither sent nor completed");
        stream.ready = true;
        sender.ready();
        runDrains();
        assertEquals(List.of(1L), sentIds());
        assertTrue(stream.completed);
    }
}
