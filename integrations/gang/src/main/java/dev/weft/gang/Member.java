package dev.weft.gang;

import dev.weft.api.WeftFunc0;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * The actor behind one member of a {@link WorkerGroup}: the user's state, and a rendezvous listener opened afresh
 * for each generation (an interrupted run may have closed the previous one).
 */
final class Member<S> {
    private final S state;
    private final String bindHost;
    private ServerSocketChannel listener;

    private Member(S state, String bindHost) {
        this.state = state;
        this.bindHost = bindHost;
    }

    static <S> Member<S> create(WeftFunc0<S> stateFactory, String bindHost) throws Exception {
        return new Member<>(stateFactory.apply(), bindHost);
    }

    /** Opens a new listener and returns its address as {@code host:port}. */
    String listen() throws IOException {
        closeListener();
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getByName(bindHost), 0));
        InetSocketAddress local = (InetSocketAddress) listener.getLocalAddress();
        String host = local.getAddress().isAnyLocalAddress() ? InetAddress.getLocalHost().getHostAddress()
                : local.getAddress().getHostAddress();
        return host + ":" + local.getPort();
    }

    Object run(MemberFn<S, ?> fn, Assignment assignment) throws Exception {
        if (listener == null || !listener.isOpen()) {
            throw new IllegalStateException("member " + assignment.rank() + " has no open rendezvous listener");
        }
        try (GroupContext context = new GroupContext(assignment, listener)) {
            return fn.run(state, context);
        }
    }

    boolean ping() {
        return true;
    }

    void closeListener() {
        if (listener != null) {
            try {
                listener.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            listener = null;
        }
    }

    boolean shutdown() {
        closeListener();
        return true;
    }
}
