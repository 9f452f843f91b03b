package dev.weft.bench.frontends;

import dev.weft.api.Bundle;
import dev.weft.api.PlacementStrategy;
import dev.weft.api.Weft;
import dev.weft.gang.GroupContext;
import dev.weft.gang.MemberFn;
import dev.weft.gang.WorkerGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A ring all-reduce of {@code mib} MiB of doubles across a WorkerGroup's members (timed inside the members, the
 * slowest member's time) vs a plain loopback socket copy of the same bytes between two threads, written and read
 * the same way (1 MiB direct buffers, into a double[]).
 */
final class AllReduceShapes {
    private static final int SEGMENT = 1 << 17;

    private AllReduceShapes() {
    }

    /** Member data: whole numbers, so the sum is exact; returns {nanos of the all-reduce, wrong values}. */
    static long[] timedAllReduce(Void state, GroupContext ctx, int doubles) throws Exception {
        double[] v = new double[doubles];
        for (int i = 0; i < doubles; i++) {
            v[i] = ctx.rank() + (i % 10);
        }
        var ring = ctx.ring();
        long start = System.nanoTime();
        ring.allReduceSum(v);
        long nanos = System.nanoTime() - start;
        int n = ctx.worldSize();
        double base = n * (n - 1) / 2.0;
        long wrong = 0;
        for (int i = 0; i < doubles; i++) {
            if (v[i] != base + n * (i % 10)) {
                wrong++;
            }
        }
        return new long[] {nanos, wrong};
    }

    static Engine ring(WorkerGroup<Void> group, int doubles) {
        MemberFn<Void, long[]> fn = (s, ctx) -> timedAllReduce(s, ctx, doubles);
        return new Engine() {
            @Override
            public String name() {
                return "ring all-reduce, " + group.size() + " members";
            }

            @Override
            public Outcome run() {
                List<long[]> r = group.run(fn);
                long slowest = 0;
                long wrong = 0;
                for (long[] m : r) {
                    slowest = Math.max(slowest, m[0]);
                    wrong += m[1];
                }
                if (wrong != 0) {
                    throw new IllegalStateException(wrong + " wrong values after the all-reduce");
                }
                return new Outcome(slowest / 1e9, "exact");
            }
        };
    }

    static WorkerGroup<Void> group(Weft weft, int members) {
        return WorkerGroup.builder(weft).size(members).strategy(PlacementStrategy.PACK).bundle(Bundle.cpus(0.5))
                .start();
    }

    static Engine socketCopy(int doubles) {
        return new Engine() {
            @Override
            public String name() {
                return "plain socket copy";
            }

            @Override
            public Outcome run() throws Exception {
                double[] source = new double[doubles];
                for (int i = 0; i < doubles; i++) {
                    source[i] = i % 10;
                }
                double[] target = new double[doubles];
                try (ServerSocketChannel server = ServerSocketChannel.open()) {
                    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                    CompletableFuture<Void> sent = new CompletableFuture<>();
                    long start = System.nanoTime();
                    Thread.ofPlatform().start(() -> {
                        try (SocketChannel out = SocketChannel.open(server.getLocalAddress())) {
                            ByteBuffer buf = ByteBuffer.allocateDirect(SEGMENT * 8).order(ByteOrder.LITTLE_ENDIAN);
                            for (int off = 0; off < doubles; off += SEGMENT) {
                                int k = Math.min(SEGMENT, doubles - off);
                                buf.clear();
                                buf.asDoubleBuffer().put(source, off, k);
                                buf.limit(k * 8);
                                while (buf.hasRemaining()) {
                                    out.write(buf);
                                }
                            }
                            sent.complete(null);
                        } catch (IOException e) {
                            sent.completeExceptionally(e);
                        }
                    });
                    try (SocketChannel in = server.accept()) {
                        ByteBuffer buf = ByteBuffer.allocateDirect(SEGMENT * 8).order(ByteOrder.LITTLE_ENDIAN);
                        for (int off = 0; off < doubles; off += SEGMENT) {
                            int k = Math.min(SEGMENT, doubles - off);
                            buf.clear().limit(k * 8);
                            while (buf.hasRemaining()) {
                                if (in.read(buf) < 0) {
                                    throw new IOException("sender closed early");
                                }
                            }
                            buf.flip();
                            buf.asDoubleBuffer().get(target, off, k);
                        }
                    }
                    long nanos = System.nanoTime() - start;
                    sent.get();
                    for (int i = 0; i < doubles; i++) {
                        if (target[i] != source[i]) {
                            throw new IllegalStateException("socket copy corrupted value " + i);
                        }
                    }
                    return new Outcome(nanos / 1e9, "exact");
                }
            }
        };
    }
}
