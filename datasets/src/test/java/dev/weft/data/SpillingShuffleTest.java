package dev.weft.data;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sort and a group-by over three times the cluster's object store capacity: the shuffle's blocks and pieces
 * spill to a local directory (seen non-empty while the job runs) and come back, and both answers match a
 * plain-Java reference.
 */
class SpillingShuffleTest {
    static final long STORE = 8L << 20;
    static final int NODES = 2;
    /** Two long columns: 16 bytes a row, three times the two nodes' stores together. */
    static final long ROWS = 3 * NODES * STORE / 16;
    static final long MOD = 1_000_003;

    @TempDir
    static Path spillDir;
    static Weft weft;

    @BeforeAll
    static void startCluster() {
        DataContext.setCurrent(DataContext.builder().progressBars(false).build());
        weft = Weft.init(WeftConfig.builder().address("local").nodes(NODES, 1).objectStoreBytes(STORE)
                .spillUri(spillDir.toString()).build());
    }

    @AfterAll
    static void stopCluster() {
        weft.close();
    }

    @AfterEach
    void noLeaks() {
        WeftCluster.assertNoLeaks();
    }

    static DataContext context() {
        // The budget is set explicitly: by default it is a fraction of physical memory, not of this small store.
        return DataContext.current().toBuilder().globalBudgetBytes(STORE / 2)
                .targetMinBlockSizeBytes(1 << 20).targetMaxBlockSizeBytes(1 << 20)
                .readParallelism(48).build();
    }

    /** id and k = id * 7919 mod 1000003 (a permutation-like scatter, with repeats). */
    static Dataset data() {
        return Datasets.range(ROWS).withContext(context()).withColumn("k", col("id").times(7919L).mod(MOD));
    }

    static long k(long id) {
        return id * 7919 % MOD;
    }

    @Test
    void aSortOverThreeTimesTheStoreSpillsAndGivesTheGlobalOrder() throws InterruptedException {
        long expectedSumK = 0;
        for (long id = 0; id < ROWS; id++) {
            expectedSumK += k(id);
        }
        long rows = 0;
        long sumId = 0;
        long sumK = 0;
        long last = Long.MIN_VALUE;
        try (SpillWatch watch = new SpillWatch();
             CloseableIterator<VectorSchemaRoot> it = data().sort("k").iterBatches()) {
            while (it.hasNext()) {
                VectorSchemaRoot b = it.next();
                BigIntVector ids = (BigIntVector) b.getVector("id");
                BigIntVector ks = (BigIntVector) b.getVector("k");
                for (int i = 0; i < b.getRowCount(); i++) {
                    long k = ks.get(i);
                    assertTrue(k >= last, "row " + rows + ": k " + k + " after " + last);
                    assertEquals(k(ids.get(i)), k, "row " + rows + " keeps its columns together");
                    last = k;
                    sumId += ids.get(i);
                    sumK += k;
                    rows++;
                }
            }
            assertTrue(watch.peak() > 0, "the shuffle spilled");
        }
        assertEquals(ROWS, rows);
        assertEquals(ROWS * (ROWS - 1) / 2, sumId);
        assertEquals(expectedSumK, sumK);
    }

    @Test
    void aGroupByOverThreeTimesTheStoreSpillsAndMatchesReference() throws InterruptedException {
        int groups = 50_000;
        long[] count = new long[groups];
        long[] sum = new long[groups];
        for (long id = 0; id < ROWS; id++) {
            int g = (int) (k(id) % groups);
            count[g]++;
            sum[g] += id;
        }
        // Materialized first, so that the whole input sits in the store (three times its capacity) while it runs.
        Dataset input = data().withColumn("g", col("k").mod((long) groups)).materialize();
        List<Row> out;
        try (SpillWatch watch = new SpillWatch()) {
            out = input.groupBy("g").aggregate(Agg.count(), Agg.sum("id")).takeAll();
            assertTrue(watch.peak() > 0, "the shuffle spilled");
        }
        assertEquals(groups, out.size());
        for (Row r : out) {
            int g = (int) r.getLong("g");
            assertEquals(count[g], r.getLong("count()"), "count of group " + g);
            assertEquals(sum[g], r.getLong("sum(id)"), "sum of group " + g);
        }
    }

    @Test
    void aLeftOuterJoinWhoseBuildSideExceedsTheStoreSpillsJoinsInChunksAndMatchesReference()
            throws InterruptedException {
        // Probe side: every row of data() (3x the stores); build side: half as many rows (1.5x the stores), each
        // reducer's share several times the 1 MiB a join task may make one hash table of.
        long buildRows = ROWS / 2;
        int keys = (int) MOD;
        long[] leftCount = new long[keys];
        long[] rightCount = new long[keys];
        long[] rightSum = new long[keys];
        for (long id = 0; id < ROWS; id++) {
            leftCount[(int) k(id)]++;
        }
        for (long rid = 0; rid < buildRows; rid++) {
            rightCount[(int) k(rid)]++;
            rightSum[(int) k(rid)] += rid;
        }
        long expectedRows = 0;
        long expectedUnmatched = 0;
        long expectedSumRid = 0;
        for (int k = 0; k < keys; k++) {
            expectedRows += rightCount[k] == 0 ? leftCount[k] : leftCount[k] * rightCount[k];
            expectedUnmatched += rightCount[k] == 0 ? leftCount[k] : 0;
            expectedSumRid += leftCount[k] * rightSum[k];
        }
        Dataset build = Datasets.range(buildRows).withContext(context())
                .withColumn("k", col("id").times(7919L).mod(MOD)).rename(java.util.Map.of("id", "rid"));
        long chunked = WeftCluster.chunkedJoins();
        long rows = 0;
        long unmatched = 0;
        long sumRid = 0;
        try (SpillWatch watch = new SpillWatch();
             CloseableIterator<VectorSchemaRoot> it = data().join(build, "k", JoinType.LEFT_OUTER).iterBatches()) {
            while (it.hasNext()) {
                VectorSchemaRoot b = it.next();
                BigIntVector ids = (BigIntVector) b.getVector("id");
                BigIntVector ks = (BigIntVector) b.getVector("k");
                BigIntVector rids = (BigIntVector) b.getVector("rid");
                for (int i = 0; i < b.getRowCount(); i++) {
                    assertEquals(k(ids.get(i)), ks.get(i), "row " + rows + ": k belongs to its id");
                    if (rids.isNull(i)) {
                        unmatched++;
                    } else {
                        assertEquals(ks.get(i), k(rids.get(i)), "row " + rows + ": the build row has the same k");
                        sumRid += rids.get(i);
                    }
                    rows++;
                }
            }
            assertTrue(watch.peak() > 0, "the join spilled");
        }
        assertTrue(WeftCluster.chunkedJoins() > chunked, "some join task made its hash table in chunks");
        assertEquals(expectedRows, rows);
        assertEquals(expectedUnmatched, unmatched);
        assertEquals(expectedSumRid, sumRid);
    }

    /** Records the most bytes the spill directory held while open. */
    static final class SpillWatch implements AutoCloseable {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicBoolean done = new AtomicBoolean();
        private final Thread thread = Thread.ofPlatform().daemon().start(() -> {
            while (!done.get()) {
                peak.accumulateAndGet(spilledBytes(), Math::max);
                Thread.onSpinWait();
            }
        });

        long peak() throws InterruptedException {
            done.set(true);
            thread.join();
            return peak.get();
        }

        @Override
        public void close() throws InterruptedException {
            peak();
        }

        private static long spilledBytes() {
            try (Stream<Path> files = Files.walk(spillDir)) {
                return files.filter(Files::isRegularFile).mapToLong(p -> {
                    try {
                        return Files.size(p);
                    } catch (IOException e) {
                        return 0; // deleted while we looked
                    }
                }).sum();
            } catch (IOException | UncheckedIOException e) {
                return 0; // a file vanished during the walk
            }
        }
    }
}
