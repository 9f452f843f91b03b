package dev.weft.gang;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A member's view of its group for one run: its rank, the world size, the generation (how many times the group
 * re-formed) and every member's rendezvous address, by rank. Members talk out of band over their own sockets:
 * {@link #connect(int)} opens a connection to a peer, {@link #accept(int)} takes one from a peer (each side checks
 * rank and generation), {@link #ring()} builds a ring for collectives. Connections close when the run ends.
 * Confined to the member's thread.
 */
public final class GroupContext implements AutoCloseable {
    private static final int CONNECT_ATTEMPTS = 50;
    private final Assignment assignment;
    private final ServerSocketChannel listener;
    private final List<SocketChannel> opened = new ArrayList<>();
    private Ring ring;

    GroupContext(Assignment assignment, ServerSocketChannel listener) {
        this.assignment = assignment;
        this.listener = listener;
    }

    public int rank() {
        return assignment.rank();
    }

    public int worldSize() {
        return assignment.worldSize();
    }

    /** 0 for the group as first formed, plus one each time it restarted or shrank. */
    public int generation() {
        return assignment.generation();
    }

    /** The rendezvous address of every member, by rank. */
    public List<InetSocketAddress> addresses() {
        return assignment.addresses().stream().map(GroupContext::parse).toList();
    }

    /** Connects to {@code peer}'s rendezvous address and introduces this member (rank and generation). */
    public SocketChannel connect(int peer) throws IOException, InterruptedException {
        checkPeer(peer);
        IOException last = null;
        for (int attempt = 0; attempt < CONNECT_ATTEMPTS; attempt++) {
            try {
                SocketChannel ch = SocketChannel.open(addresses().get(peer));
                ch.socket().setTcpNoDelay(true);
                ByteBuffer hello = ByteBuffer.allocate(8).putInt(rank()).putInt(generation()).flip();
                while (hello.hasRemaining()) {
                    ch.write(hello);
                }
                opened.add(ch);
                return ch;
            } catch (java.net.ConnectException e) {
                last = e;
                Thread.sleep(20L * (attempt + 1));
            }
        }
        throw new IOException("rank " + rank() + " could not connect to rank " + peer + " at "
                + assignment.addresses().get(peer), last);
    }

    /** Accepts the connection {@code peer} opens to this member; connections from anyone else are closed. */
    public SocketChannel accept(int peer) throws IOException {
        checkPeer(peer);
        while (true) {
            SocketChannel ch = listener.accept();
            ByteBuffer hello = ByteBuffer.allocate(8);
            while (hello.hasRemaining()) {
                if (ch.read(hello) < 0) {
                    break;
                }
            }
            hello.flip();
            if (hello.remaining() == 8 && hello.getInt() == peer && hello.getInt() == generation()) {
                ch.socket().setTcpNoDelay(true);
                opened.add(ch);
                return ch;
            }
            ch.close(); // a stale peer of an earlier generation, or a stranger
        }
    }

    /** A ring over the members (rank r sends to r + 1 and receives from r - 1), built on first use. */
    public Ring ring() throws IOException, InterruptedException {
        if (ring == null) {
            int n = worldSize();
            if (n == 1) {
                ring = new Ring(0, 1, null, null);
            } else {
                SocketChannel next = connect((rank() + 1) % n);
                SocketChannel prev = accept((rank() - 1 + n) % n);
                ring = new Ring(rank(), n, next, prev);
            }
        }
        return ring;
    }

    private void checkPeer(int peer) {
        if (peer < 0 || peer >= worldSize() || peer == rank()) {
            throw new IllegalArgumentException("peer rank must be in [0, " + worldSize() + ") and not this member's "
                    + rank() + ", got " + peer);
        }
    }

    private static InetSocketAddress parse(String address) {
        int colon = address.lastIndexOf(':');
        return new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    }

    /** Closes every connection this context opened. Idempotent. */
    @Override
    public void close() {
        for (SocketChannel ch : opened) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        opened.clear();
    }
}
