package dev.weft.engine.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.engine.internal.cluster.proto.ListNodesReply;
import dev.weft.engine.internal.cluster.proto.ListNodesRequest;
import dev.weft.engine.internal.cluster.proto.RegisterDriverReply;
import dev.weft.engine.internal.cluster.proto.RegisterDriverRequest;
import dev.weft.engine.internal.cluster.proto.RegisterNodeReply;
import dev.weft.engine.internal.cluster.proto.RegisterNodeRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The GCS's tables without a network: version checks at registration, and the journal replayed by a new GCS. */
class GcsServerTest {
    /** Collects what a handler answers. */
    static final class Answer<T> implements StreamObserver<T> {
        final List<T> values = new ArrayList<>();
        Throwable error;

        @Override
        public void onNext(T value) {
            values.add(value);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {
        }
    }

    private static GcsServer gcs(Path journal) {
        return new GcsServer(journal == null ? null : GcsServer.GcsJournalHandle.open(journal), 500, 60_000, "t", () -> { });
    }

    @Test
    void aNodeOrDriverOfAnotherProtocolVersionIsRefusedNamingBothVersions() {
        try (GcsServer gcs = gcs(null)) {
            Answer<RegisterNodeReply> node = new Answer<>();
            gcs.registerNode(RegisterNodeRequest.newBuilder().setProtocolVersion(ClusterProtocol.VERSION + 1)
                    .setAddress("127.0.0.1:1").build(), node);
            assertNotNull(node.error);
            Status s = Status.fromThrowable(node.error);
            assertEquals(Status.Code.FAILED_PRECONDITION, s.getCode());
            assertTrue(s.getDescription().contains("version " + (ClusterProtocol.VERSION + 1))
                    && s.getDescription().contains("version " + ClusterProtocol.VERSION), s.getDescription());
            Answer<RegisterDriverReply> driver = new Answer<>();
            gcs.registerDriver(RegisterDriverRequest.newBuilder().setProtocolVersion(0).setAddress("127.0.0.1:2").build(), driver);
            assertEquals(Status.Code.FAILED_PRECONDITION, Status.fromThrowable(driver.error).getCode());
            Answer<ListNodesReply> list = new Answer<>();
            gcs.listNodes(ListNodesRequest.getDefaultInstance(), list);
            assertEquals(0, list.values.getFirst().getNodesCount(), "a refused node leaves no trace");
        }
    }

    @Test
    void aNodeRegisteringAtTheAddressOfALiveOneReplacesItAtOnce(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path journal = dir.resolve("journal");
        String first;
        String second;
        try (GcsServer gcs = gcs(journal)) {
            Answer<RegisterNodeReply> a = new Answer<>();
            gcs.registerNode(RegisterNodeRequest.newBuilder().setProtocolVersion(ClusterProtocol.VERSION)
                    .setAddress("127.0.0.1:9").putResources("CPU", 1.0).build(), a);
            first = a.values.getFirst().getNodeId();
            Answer<RegisterNodeReply> b = new Answer<>(); // the same host:port again: a restarted process
            gcs.registerNode(RegisterNodeRequest.newBuilder().setProtocolVersion(ClusterProtocol.VERSION)
                    .setAddress("127.0.0.1:9").putResources("CPU", 1.0).build(), b);
            second = b.values.getFirst().getNodeId();
        }
        try (GcsServer again = gcs(journal)) { // and so it stays after a replay
            Answer<ListNodesReply> list = new Answer<>();
            again.listNodes(ListNodesRequest.getDefaultInstance(), list);
            var byId = new java.util.HashMap<String, Boolean>();
            list.values.getFirst().getNodesList().forEach(n -> byId.put(n.getNodeId(), n.getAlive()));
            assertEquals(java.util.Map.of(first, false, second, true), byId);
        }
    }

    @Test
    void aGcsStartedOnTheSameJournalHasTheSameNodes(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path journal = dir.resolve("journal");
        String id;
        try (GcsServer gcs = gcs(journal)) {
            Answer<RegisterNodeReply> node = new Answer<>();
            gcs.registerNode(RegisterNodeRequest.newBuilder().setProtocolVersion(ClusterProtocol.VERSION)
                    .setAddress("127.0.0.1:7").putResources("CPU", 3.0).build(), node);
            id = node.values.getFirst().getNodeId();
        }
        try (GcsServer again = gcs(journal)) {
            Answer<ListNodesReply> list = new Answer<>();
            again.listNodes(ListNodesRequest.getDefaultInstance(), list);
            var nodes = list.values.getFirst().getNodesList();
            assertEquals(1, nodes.size());
            assertEquals(id, nodes.getFirst().getNodeId());
            assertEquals(3.0, nodes.getFirst().getStats().getTotalOrThrow("CPU"));
        }
        Path notAJournal = Files.writeString(dir.resolve("file"), "x");
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.weft.api.WeftException.class,
                () -> GcsServer.GcsJournalHandle.open(notAJournal));
        assertTrue(e.getMessage().contains(notAJournal.toString()), e.getMessage());
    }
}
