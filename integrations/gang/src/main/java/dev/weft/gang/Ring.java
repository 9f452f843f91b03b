package dev.weft.gang;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A ring of the group's members over their own sockets, for collectives. {@link #allReduceSum(double[])} is the
 * bandwidth-optimal ring all-reduce (reduce-scatter, then all-gather, each in {@code n - 1} steps, every member
 * sending and receiving {@code 2 (n - 1) / n} of the array): each chunk is summed in one fixed order around the
 * ring and then copied, so every member ends with bit-identical values. Confined to the member's thread; every
 * member must call the same collectives in the same order.
 */
public final class Ring {
    private static final int SEGMENT_DOUBLES = 1 << 17; // 1 MiB per write/read
    private final int rank;
    private final int size;
    private final SocketChannel next;
    private final SocketChannel prev;
    private final ByteBuffer sendBuffer;
    private final ByteBuffer receiveBuffer;
    private final double[] incoming;

    Ring(int rank, int size, SocketChannel next, SocketChannel prev) {
        this.rank = rank;
        this.size = size;
        this.next = next;
        this.prev = prev;
        this.sendBuffer = size == 1 ? null : ByteBuffer.allocateDirect(SEGMENT_DOUBLES * 8).order(ByteOrder.LITTLE_ENDIAN);
        this.receiveBuffer = size == 1 ? null : ByteBuffer.allocateDirect(SEGMENT_DOUBLES * 8).order(ByteOrder.LITTLE_ENDIAN);
        this.incoming = size == 1 ? null : new double[SEGMENT_DOUBLES];
    }

    public int rank() {
        return rank;
    }

    public int size() {
        return size;
    }

    /** Replaces {@code data} on every member by the element-wise sum of every member's {@code data}. */
    public void allReduceSum(double[] data) throws IOException, InterruptedException {
        if (size == 1) {
            return;
        }
        for (int s = 0; s < size - 1; s++) {
            exchange(data, Math.floorMod(rank - s, size), Math.floorMod(rank - s - 1, size), true);
        }
        for (int s = 0; s < size - 1; s++) {
            exchange(data, Math.floorMod(rank + 1 - s, size), Math.floorMod(rank - s, size), false);
        }
    }

    /** Sends chunk {@code send} to the next member while receiving chunk {@code receive} from the previous one. */
    private void exchange(double[] data, int send, int receive, boolean add) throws IOException, InterruptedException {
        AtomicReference<Throwable> sendFailure = new AtomicReference<>();
        Thread sender = Thread.ofVirtual().name("gang-ring-send").start(() -> {
            try {
                write(data, start(data, send), start(data, send + 1));
            } catch (Throwable e) {
                sendFailure.set(e);
            }
        });
        try {
            read(data, start(data, receive), start(data, receive + 1), add);
        } finally {
            sender.join();
        }
        if (sendFailure.get() instanceof IOException e) {
            throw e;
        } else if (sendFailure.get() != null) {
            throw new IOException("rank " + rank + " failed sending to rank " + (rank + 1) % size, sendFailure.get());
        }
    }

    private int start(double[] data, int chunk) {
        return (int) ((long) data.length * chunk / size);
    }

    private void write(double[] data, int from, int to) throws IOException {
        for (int off = from; off < to; off += SEGMENT_DOUBLES) {
            int k = Math.min(SEGMENT_DOUBLES, to - off);
            sendBuffer.clear();
            sendBuffer.asDoubleBuffer().put(data, off, k);
            sendBuffer.limit(k * 8);
            while (sendBuffer.hasRemaining()) {
                next.write(sendBuffer);
            }
        }
    }

    private void read(double[] data, int from, int to, boolean add) throws IOException {
        for (int off = from; off < to; off += SEGMENT_DOUBLES) {
            int k = Math.min(SEGMENT_DOUBLES, to - off);
            receiveBuffer.clear().limit(k * 8);
            while (receiveBuffer.hasRemaining()) {
                if (prev.read(receiveBuffer) < 0) {
                    throw new EOFException("rank " + rank + ": the previous member (rank "
                            + Math.floorMod(rank - 1, size) + ") closed the ring");
                }
            }
            receiveBuffer.flip();
            DoubleBuffer in = receiveBuffer.asDoubleBuffer();
            if (add) {
                in.get(incoming, 0, k); // a bulk copy, then a loop the JIT vectorizes
                for (int i = 0; i < k; i++) {
                    data[off + i] += incoming[i];
                }
            } else {
                in.get(data, off, k);
            }
        }
    }
}
