package dev.weft.data;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ErrorType;
import dev.weft.api.NodeInfo;
import dev.weft.api.Weft;
import dev.weft.api.WeftException;
import dev.weft.data.internal.exec.JobAttempts;
import dev.weft.engine.LocalClusterControl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * A node killed while a dataset with an exchange is read through {@code iterBatches}, before any row was handed
 * out: the iterator starts the job again from its sources and gives the exact answer, and afterwards the stores of
 * the surviving nodes and the datasets allocators hold nothing. The kill comes at a fixed point: the
 * {@link #GATE_AT}-th batch of a stage waits in {@link #gate} while the test kills the non-driver node that holds the
 * most objects (upstream blocks that are the exchange's inputs, the pieces and states of a streaming exchange, or the
 * exchange's output blocks, depending on where the gated stage is). Each shape runs five times, on a fresh cluster.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NodeLossIterationTest {
    static final int ROWS = 240_000;
    static final int BLOCKS = 24;
    /** A prime above {@link #ROWS}: {@code id * 7919 % P} is a distinct sort key for every row. */
    static final long P = 1_000_003;
    static final long GROUPS = 5_000;
    /** The batch of the gated stage that waits for the kill (by default): earlier ones have stored their output. */
    static final int GATE_AT = 16;
    static volatile int gateAt;

    static volatile CountDownLatch entered;
    static volatile CountDownLatch released;
    static final AtomicInteger BATCHES = new AtomicInteger();

    Weft weft;
    String driverNode;
    final AtomicLong lostObjects = new AtomicLong(-1);
    /** Objects the stores hold together before the kill; 0: as soon as a node other than the driver's holds one. */
    long storedBeforeKill;

    @BeforeEach
    void start() {
        entered = new CountDownLatch(1);
        released = new CountDownLatch(1);
        BATCHES.set(0);
        gateAt = GATE_AT;
        weft = WeftCluster.start(3, 2, 0);
        driverNode = WeftCluster.driverNode(weft);
    }

    @AfterEach
    void stop() {
        released.countDown();
        weft.close();
        WeftCluster.assertNoLeaks();
    }

    /** Passes the batch through; the {@link #gateAt}-th call waits until the test has killed a node. */
    static VectorSchemaRoot gate(VectorSchemaRoot batch) throws InterruptedException {
        if (BATCHES.incrementAndGet() == gateAt) {
            entered.countDown();
            released.await(120, TimeUnit.SECONDS);
        }
        return batch;
    }

    /**
     * Passes the batch through; every call waits until the test has killed a node, so that no row reaches the
     * consumer before the kill (for a stage that streams to it).
     */
    static VectorSchemaRoot gateAll(VectorSchemaRoot batch) throws InterruptedException {
        entered.countDown();
        released.await(120, TimeUnit.SECONDS);
        return batch;
    }

    private static DataContext context() {
        return DataContext.current().toBuilder().readParallelism(BLOCKS).build();
    }

    /** Columns id and k (a distinct key per row, in another order than id). */
    private static Dataset keyed() {
        return Datasets.range(ROWS).withContext(context()).withColumn("k", col("id").times(7919).mod(P));
    }

    @RepeatedTest(5)
    void aSortWhoseInputBlocksDiedStartsTheIterationAgain() throws Exception {
        // The kill once the last block waits in the gate and every other one is stored: the victim's blocks are
        // finished inputs of the sort, which only a new run of the job makes again.
        everyOtherBlockStoredBeforeTheKill();
        long before = JobAttempts.restarts();
        Dataset d = keyed().mapBatches(NodeLossIterationTest::gate).sort("k");
        assertSorted(readWithKill(d, "k", "id"));
        assertTrue(JobAttempts.restarts() > before, "the iteration ran the job again");
    }

    private void everyOtherBlockStoredBeforeTheKill() {
        gateAt = BLOCKS;
        storedBeforeKill = BLOCKS - 1;
    }

    @RepeatedTest(5)
    void aSortWhoseOutputBlocksDiedGivesTheRightAnswerOrARetriableFailure() throws Exception {
        // The stage after the sort streams its blocks to the consumer as its tasks end, so rows may have been handed
        // out before a task fails on a lost block: then the failure propagates, as a retriable system failure.
        Dataset d = keyed().sort("k").mapBatches(NodeLossIterationTest::gateAll);
        long[] keys;
        try {
            keys = readWithKill(d, "k").getFirst();
        } catch (WeftException e) {
            assertEquals(ErrorType.SYSTEM_FAILURE, e.errorType(), "a node's death is a system failure: " + e);
            assertTrue(e.isRetryable(), e::toString);
            return;
        }
        long[] expected = java.util.stream.LongStream.range(0, ROWS).map(id -> id * 7919 % P).sorted().toArray();
        long[] sorted = keys.clone();
        Arrays.sort(sorted);
        assertArrayEquals(expected, sorted, "every key once");
    }

    @RepeatedTest(5)
    void aGroupByThatLostPiecesMidExchangeStartsTheIterationAgain() throws Exception {
        Dataset d = keyed().withColumn("g", col("id").mod(GROUPS)).mapBatches(NodeLossIterationTest::gate)
                .groupBy("g").aggregate(Agg.count().as("n"), Agg.sum("id").as("s"));
        Map<Long, long[]> got = new HashMap<>();
        List<long[]> cols = readWithKill(d, "g", "n", "s");
        for (int i = 0; i < cols.get(0).length; i++) {
            long[] prev = got.put(cols.get(0)[i], new long[] {cols.get(1)[i], cols.get(2)[i]});
            assertEquals(null, prev, "group " + cols.get(0)[i] + " comes out once");
        }
        Map<Long, long[]> expected = new HashMap<>();
        for (long id = 0; id < ROWS; id++) {
            long[] a = expected.computeIfAbsent(id % GROUPS, x -> new long[2]);
            a[0]++;
            a[1] += id;
        }
        assertEquals(expected.keySet(), got.keySet());
        expected.forEach((g, a) -> assertArrayEquals(a, got.get(g), "count and sum of group " + g));
    }

    @RepeatedTest(5)
    void aJoinThatLostPiecesMidExchangeStartsTheIterationAgain() throws Exception {
        // The right side: one row per key 0..P/4, value v = 3k. Threshold 0: a shuffled hash join, never broadcast.
        Dataset right = Datasets.range(P / 4).withContext(context()).withColumn("k", col("id"))
                .withColumn("v", col("id").times(3)).select("k", "v");
        Dataset d = keyed().mapBatches(NodeLossIterationTest::gate)
                .join(right, "k", JoinType.INNER, false, 0);
        List<long[]> cols = readWithKill(d, "id", "k", "v");
        long[] ids = cols.get(0).clone();
        Arrays.sort(ids);
        long[] expectedIds = java.util.stream.LongStream.range(0, ROWS).filter(id -> id * 7919 % P < P / 4).toArray();
        assertArrayEquals(expectedIds, ids, "every left row with a matching key, once");
        for (int i = 0; i < ids.length; i++) {
            assertEquals(cols.get(0)[i] * 7919 % P, cols.get(1)[i], "key of id " + cols.get(0)[i]);
            assertEquals(3 * cols.get(1)[i], cols.get(2)[i], "value joined to key " + cols.get(1)[i]);
        }
    }

    @RepeatedTest(5)
    void aRandomShuffleWhoseInputBlocksDiedStartsTheIterationAgain() throws Exception {
        everyOtherBlockStoredBeforeTheKill();
        long before = JobAttempts.restarts();
        Dataset d = keyed().mapBatches(NodeLossIterationTest::gate).randomShuffle(42);
        List<long[]> cols = readWithKill(d, "id", "k");
        long[] ids = cols.get(0).clone();
        Arrays.sort(ids);
        assertArrayEquals(java.util.stream.LongStream.range(0, ROWS).toArray(), ids, "every row once");
        for (int i = 0; i < ids.length; i++) {
            assertEquals(cols.get(0)[i] * 7919 % P, cols.get(1)[i], "key of id " + cols.get(0)[i]);
        }
        assertTrue(JobAttempts.restarts() > before, "the iteration ran the job again");
    }

    /**
     * Reads {@code d} through {@code iterBatches} while a node is killed at the gate; returns the named columns.
     * Checks that the kill took objects with it and the stores end empty.
     */
    private List<long[]> readWithKill(Dataset d, String... columns) throws Exception {
        long before = JobAttempts.restarts();
        Thread killer = killWhenGated();
        List<List<Long>> values = new ArrayList<>();
        for (String ignored : columns) {
            values.add(new ArrayList<>());
        }
        try (CloseableIterator<VectorSchemaRoot> it = d.iterBatches()) {
            while (it.hasNext()) {
                VectorSchemaRoot b = it.next();
                for (int c = 0; c < columns.length; c++) {
                    BigIntVector v = (BigIntVector) b.getVector(columns[c]);
                    for (int i = 0; i < b.getRowCount(); i++) {
                        values.get(c).add(v.get(i));
                    }
                }
            }
        } finally {
            released.countDown();
            killer.join();
            assertStoresEmpty();
        }
        assertTrue(lostObjects.get() > 0, "the killed node held objects: " + lostObjects.get());
        // Usually the job runs again; the kill can also take only blocks of tasks that had not ended (the engine runs
        // them again) or pieces the exchange mends on its own: either way the answer holds.
        System.out.println(Thread.currentThread().getStackTrace()[2].getMethodName() + ": " + lostObjects.get()
                + " objects on the killed node, " + (JobAttempts.restarts() - before) + " job restart(s)");
        List<long[]> out = new ArrayList<>();
        values.forEach(v -> out.add(v.stream().mapToLong(Long::longValue).toArray()));
        return out;
    }

    private static void assertSorted(List<long[]> cols) {
        long[] expectedIds = java.util.stream.LongStream.range(0, ROWS).boxed()
                .sorted(java.util.Comparator.comparingLong(id -> id * 7919 % P)).mapToLong(Long::longValue).toArray();
        assertArrayEquals(expectedIds, cols.get(1), "ids in key order");
        for (int i = 0; i < ROWS; i++) {
            assertEquals(expectedIds[i] * 7919 % P, cols.get(0)[i], "key at row " + i);
        }
    }

    /** Once the gate is entered, kills the non-driver node holding the most objects, then lets the gate go. */
    private Thread killWhenGated() {
        return Thread.ofPlatform().start(() -> {
            try {
                if (!entered.await(120, TimeUnit.SECONDS)) {
                    return;
                }
                LocalClusterControl control = LocalClusterControl.of(weft);
                // Tasks still running may not have stored their blocks yet: wait until a node other than the
                // driver's holds some (the driver's node is never killed: the driver puts there).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                String victim = victim(control);
                while ((control.storeObjectCount(victim) == 0 || stored(control) < storedBeforeKill)
                        && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    victim = victim(control);
                }
                lostObjects.set(control.storeObjectCount(victim));
                control.killNode(victim);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                released.countDown();
            }
        });
    }

    private long stored(LocalClusterControl control) {
        return weft.nodes().stream().filter(NodeInfo::alive).mapToLong(n -> control.storeObjectCount(n.nodeId())).sum();
    }

    /** The node other than the driver's that holds the most objects. */
    private String victim(LocalClusterControl control) {
        String victim = null;
        for (NodeInfo n : weft.nodes()) {
            if (n.alive() && !n.nodeId().equals(driverNode) && (victim == null
                    || control.storeObjectCount(n.nodeId()) > control.storeObjectCount(victim))) {
                victim = n.nodeId();
            }
        }
        return victim;
    }

    /** Every surviving node's store holds no object and no byte (freeing is asynchronous: waits up to 30 s). */
    private void assertStoresEmpty() {
        LocalClusterControl control = LocalClusterControl.of(weft);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Function<NodeInfo, String> use = n -> n.nodeId() + ": " + control.storeObjectCount(n.nodeId()) + " objects, "
                + control.storeUsedBytes(n.nodeId()) + " bytes";
        while (true) {
            List<String> held = weft.nodes().stream().filter(NodeInfo::alive)
                    .filter(n -> control.storeObjectCount(n.nodeId()) > 0 || control.storeUsedBytes(n.nodeId()) > 0)
                    .map(use).toList();
            if (held.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("surviving stores still hold objects 30 s after the run: " + held);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
    }

}
