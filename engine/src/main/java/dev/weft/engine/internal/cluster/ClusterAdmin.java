package dev.weft.engine.internal.cluster;

import dev.weft.engine.internal.cluster.proto.Empty;
import dev.weft.engine.internal.cluster.proto.GcsGrpc;
import dev.weft.engine.internal.cluster.proto.ListNodesRequest;
import dev.weft.engine.internal.cluster.proto.NodeEntry;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the CLI asks of a running cluster: its nodes, and to stop. Each call opens and closes its own channel. */
public final class ClusterAdmin {
    private ClusterAdmin() {
    }

    public static List<NodeEntry> listNodes(String address, String token) {
        return listNodes(address, token, ClusterTls.NONE);
    }

    public static List<NodeEntry> listNodes(String address, String token, ClusterTls tls) {
        String head = ClusterProtocol.hostPort(ClusterProtocol.parseAddress(address));
        try (Channels channels = new Channels(token, tls)) {
            return GcsGrpc.newBlockingStub(channels.get(head)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listNodes(ListNodesRequest.getDefaultInstance()).getNodesList();
        } catch (StatusRuntimeException e) {
            throw ClusterConnect.connectError(address, e, !tls.enabled());
        }
    }

    /** How many tasks the drivers of this JVM ran again to rebuild lost objects (lineage), for tests and logs. */
    public static long lineageReruns() {
        return DriverLineage.REBUILT_IN_JVM.get();
    }

    public static void stop(String address, String token) {
        stop(address, token, ClusterTls.NONE);
    }

    public static void stop(String address, String token, ClusterTls tls) {
        String head = ClusterProtocol.hostPort(ClusterProtocol.parseAddress(address));
        try (Channels channels = new Channels(token, tls)) {
            GcsGrpc.newBlockingStub(channels.get(head)).withDeadlineAfter(30, TimeUnit.SECONDS).stopCluster(Empty.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            throw ClusterConnect.connectError(address, e, !tls.enabled());
        }
    }
}
