package dev.weft.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ObjectRef;
import dev.weft.api.SchedulingStrategy;
import dev.weft.api.Weft;
import dev.weft.engine.internal.cluster.ClusterAdmin;
import dev.weft.engine.internal.cluster.proto.NodeEntry;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Large objects between node JVMs: made by a task on the worker, read by a task on the head, which pulls them from
 * the worker's store in chunks. Each side digests what it holds; the test digests the same bytes as they are made,
 * without holding them.
 */
class ClusterObjectTransferTest {
    private static final int BLOCK = 1 << 20;

    /** {@code n} pseudo-random bytes from {@code seed}, made a block at a time (as {@link #expected} digests them). */
    public static byte[] make(long seed, int n) {
        byte[] out = new byte[n];
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] block = new byte[BLOCK];
        for (int pos = 0; pos < n; pos += BLOCK) {
            rng.nextBytes(block);
            System.arraycopy(block, 0, out, pos, Math.min(BLOCK, n - pos));
        }
        return out;
    }

    /** The SHA-256 of what arrived, and its length. */
    public static String digest(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes)) + "/" + bytes.length;
    }

    private static String expected(long seed, int n) {
        MessageDigest md = sha256();
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] block = new byte[BLOCK];
        for (int pos = 0; pos < n; pos += BLOCK) {
            rng.nextBytes(block);
            md.update(block, 0, Math.min(BLOCK, n - pos));
        }
        return HexFormat.of().formatHex(md.digest()) + "/" + n;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aOneGibObjectArrivesOnAnotherNodeByteForByte() throws Exception {
        int n = 1 << 30;
        // the maker holds the array and its encoded image at once, the reader the image and the decoded array:
        // with the serial collector's old generation at two thirds of the heap, 3 GiB is too small
        try (ClusterProcesses cluster = ClusterProcesses.start(1, 2, 1280L << 20, List.of(), "4g");
             Weft weft = Weft.init(ClusterSessions.config(cluster))) {
            try (ObjectRef<byte[]> big = weft.task(ClusterObjectTransferTest::make, 7L, n)
                    .schedulingStrategy(SchedulingStrategy.nodeAffinity(node(cluster, false), false)).remote();
                 ObjectRef<String> there = weft.task(ClusterObjectTransferTest::digest, big)
                         .schedulingStrategy(SchedulingStrategy.nodeAffinity(node(cluster, true), false)).remote()) {
                assertEquals(expected(7L, n), there.get(), "the head's copy of the worker's 1 GiB object");
            }
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void anObjectSpilledOnItsNodeIsRestoredAndSent() throws Exception {
        int n = 40 << 20;
        try (ClusterProcesses cluster = ClusterProcesses.start(1, 2, 96L << 20);
             Weft weft = Weft.init(ClusterSessions.config(cluster))) {
            SchedulingStrategy onWorker = SchedulingStrategy.nodeAffinity(node(cluster, false), false);
            List<ObjectRef<byte[]>> made = new ArrayList<>();
            for (long seed = 1; seed <= 4; seed++) { // 160 MiB made in a store of 96 MiB: the first ones spill
                made.add(weft.task(ClusterObjectTransferTest::make, seed, n).schedulingStrategy(onWorker).remote());
                weft.wait(List.of(made.getLast()));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (worker(cluster).getStats().getTotalSpilledBytes() < n && System.nanoTime() < deadline) {
                Thread.sleep(100); // the worker's store figures reach the GCS with its next heartbeat
            }
            assertTrue(worker(cluster).getStats().getTotalSpilledBytes() >= n, "the worker spilled: " + worker(cluster).getStats());
            for (int i = 0; i < made.size(); i++) {
                try (ObjectRef<String> there = weft.task(ClusterObjectTransferTest::digest, made.get(i))
                        .schedulingStrategy(SchedulingStrategy.nodeAffinity(node(cluster, true), false)).remote()) {
                    assertEquals(expected(i + 1, n), there.get(), "object " + (i + 1) + " as the head read it");
                }
            }
            deadline = System.nanoTime() + 10_000_000_000L;
            while (worker(cluster).getStats().getTotalRestoredBytes() < n && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(worker(cluster).getStats().getTotalRestoredBytes() >= n, "a spilled object was restored to be"
                    + " sent: " + worker(cluster).getStats());
            made.forEach(ObjectRef::close);
        }
    }

    private static NodeEntry worker(ClusterProcesses cluster) {
        return ClusterAdmin.listNodes(cluster.address(), cluster.token()).stream()
                .filter(e -> !e.getHead()).findFirst().orElseThrow();
    }

    /** The id of the head's node, or of the (one) worker's. */
    private static String node(ClusterProcesses cluster, boolean head) {
        return ClusterAdmin.listNodes(cluster.address(), cluster.token()).stream()
                .filter(e -> e.getHead() == head).findFirst().orElseThrow().getNodeId();
    }
}
