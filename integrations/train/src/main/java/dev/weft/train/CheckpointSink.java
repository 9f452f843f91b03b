package dev.weft.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where rank 0 sends its checkpoints while it trains: a listener in the driver (the trainer's process), reached
 * over rank 0's own socket — out of band, like the group's rendezvous, so a checkpoint needs no actor call from the
 * worker (on a cluster, code of a job may not yet call actors from inside an actor). Keeps the latest checkpoint
 * for a restart and, when a directory is given, writes each one there, in the driver's file system. One accepting
 * thread; each connection (one per attempt) is read on a thread of its own. The trainer closes it. Idempotent.
 */
final class CheckpointSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointSink.class);

    private final ServerSocketChannel listener;
    private final String address;
    private final Path dir;
    private final AtomicReference<Checkpoint> latest;
    private final AtomicReference<Exception> writeFailure = new AtomicReference<>();
    private final Thread acceptor;

    CheckpointSink(String bindHost, Path dir, Checkpoint start) throws IOException {
        this.dir = dir;
        this.latest = new AtomicReference<>(start);
        this.listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getByName(bindHost), 0));
        InetSocketAddress local = (InetSocketAddress) listener.getLocalAddress();
        String host = local.getAddress().isAnyLocalAddress() ? InetAddress.getLocalHost().getHostAddress()
                : local.getAddress().getHostAddress();
        this.address = host + ":" + local.getPort();
        this.acceptor = Thread.ofPlatform().daemon().name("xgboost-checkpoint-sink").start(this::accept);
    }

    /** {@code host:port} for rank 0 to connect to. */
    String address() {
        return address;
    }

    /** The latest checkpoint received (or the one training resumed from), or null. */
    Checkpoint latest() {
        return latest.get();
    }

    /** Keeps {@code c} if it is later than the latest, and writes it to the directory. */
    void offer(Checkpoint c) {
        latest.accumulateAndGet(c, (old, neu) -> old == null || neu.round() >= old.round() ? neu : old);
        if (dir != null) {
            try {
                c.save(dir.resolve(Checkpoint.fileName(c.round())));
            } catch (IOException e) {
                writeFailure.compareAndSet(null, e);
                LOG.warn("cannot write the round-{} checkpoint to {}: {}", c.round(), dir, e.toString());
            }
        }
    }

    /** The first failure to write a checkpoint file, if any (the trainer reports it). */
    Exception writeFailure() {
        return writeFailure.get();
    }

    private void accept() {
        while (listener.isOpen()) {
            try {
                SocketChannel ch = listener.accept();
                Thread.ofPlatform().daemon().name("xgboost-checkpoint-reader").start(() -> read(ch));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("checkpoint listener at {}: {}", address, e.toString());
                return;
            }
        }
    }

    private void read(SocketChannel ch) {
        try (ch; DataInputStream in = new DataInputStream(Channels.newInputStream(ch))) {
            while (true) {
                int round;
                try {
                    round = in.readInt();
                } catch (EOFException end) {
                    return;
                }
                byte[] model = new byte[in.readInt()];
                in.readFully(model);
                offer(new Checkpoint(round, model));
            }
        } catch (IOException e) {
            // rank 0 went away mid-checkpoint (it died, or the run was cancelled): the earlier ones are kept
        }
    }

    /** Rank 0's end of the connection: sends checkpoints to the sink at {@code address}. Confined to one thread. */
    static final class Sender implements AutoCloseable {
        private final SocketChannel ch;
        private final DataOutputStream out;

        Sender(String address) throws IOException {
            int colon = address.lastIndexOf(':');
            this.ch = SocketChannel.open(new InetSocketAddress(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))));
            this.out = new DataOutputStream(Channels.newOutputStream(ch));
        }

        void send(Checkpoint c) throws IOException {
            byte[] model = c.model();
            out.writeInt(c.round());
            out.writeInt(model.length);
            out.write(model);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        acceptor.interrupt();
    }
}
