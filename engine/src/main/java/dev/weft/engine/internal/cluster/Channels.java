package dev.weft.engine.internal.cluster;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per peer address, carrying this participant's token (over TLS when it has TLS), and on it at
 * most one live submission stream ({@link NodeStream}) per node. Thread-safe; the owner closes it.
 */
final class Channels implements AutoCloseable {
    private final String token;
    private final ClusterTls tls;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Map<String, NodeStream> streams = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Channels(String token) {
        this(token, ClusterTls.NONE);
    }

    Channels(String token, ClusterTls tls) {
        this.token = token;
        this.tls = tls;
    }

    ManagedChannel get(String address) {
        if (closed) {
            throw new IllegalStateException("the cluster connection is closed");
        }
        return channels.computeIfAbsent(address, a -> {
            var host = ClusterProtocol.parseAddress(a);
            return tls.secure(NettyChannelBuilder.forAddress(host.getHostString(), host.getPort()))
                    .maxInboundMessageSize(ClusterProtocol.MAX_MESSAGE_BYTES)
                    .flowControlWindow(ClusterProtocol.FLOW_WINDOW_BYTES)
                    .intercept(TokenAuth.client(token))
                    .build();
        });
    }

    /** The submission stream to the node at {@code address}, opened on first use and again after it broke. */
    NodeStream stream(String address) {
        NodeStream s = streams.get(address);
        if (s != null && !s.isBroken()) {
            return s;
        }
        ManagedChannel channel = get(address);
        return streams.compute(address, (a, old) -> {
            if (old != null && !old.isBroken()) {
                return old;
            }
            NodeStream[] made = new NodeStream[1];
            made[0] = new NodeStream(a, channel, () -> streams.remove(a, made[0]));
            return made[0];
        });
    }

    /** Drops the channel to a peer that died, so a restarted peer at the same address gets a fresh one. */
    void forget(String address) {
        NodeStream s = streams.remove(address);
        if (s != null) {
            s.cancel("node " + address + " is gone");
        }
        ManagedChannel c = channels.remove(address);
        if (c != null) {
            c.shutdownNow();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (NodeStream s : streams.values()) {
            s.cancel("the cluster connection is closing");
        }
        streams.clear();
        for (ManagedChannel c : channels.values()) {
            c.shutdown();
        }
        for (ManagedChannel c : channels.values()) {
            try {
                if (!c.awaitTermination(2, TimeUnit.SECONDS)) {
                    c.shutdownNow();
                }
            } catch (InterruptedException e) {
                c.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        channels.clear();
    }
}
