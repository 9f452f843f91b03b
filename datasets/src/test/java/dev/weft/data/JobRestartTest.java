package dev.weft.data;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.NodeInfo;
import dev.weft.api.Weft;
import dev.weft.data.internal.exec.JobAttempts;
import dev.weft.engine.LocalClusterControl;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node killed after a group-by has finished, while the stage after it still has to read the group-by's output
 * blocks: those blocks have no lineage, so the job runs again from its source and still gives the reference answer.
 */
class JobRestartTest {
    static final long ROWS = 400_000;
    static final long GROUPS = 200_000;
    /** The first call of {@link #gate} waits here until the test has killed a node. */
    static volatile CountDownLatch ENTERED;
    static volatile CountDownLatch RELEASED;
    static final AtomicBoolean FIRST = new AtomicBoolean();

    Weft weft;

    @BeforeEach
    void start() {
        ENTERED = new CountDownLatch(1);
        RELEASED = new CountDownLatch(1);
        FIRST.set(true);
        weft = WeftCluster.start(3, 2, 0);
    }

    @AfterEach
    void stop() {
        RELEASED.countDown();
        weft.close();
        WeftCluster.assertNoLeaks();
    }

    /** Passes rows through; the very first call waits until the test let it go. */
    static Row gate(Row r) {
        if (FIRST.compareAndSet(true, false)) {
            ENTERED.countDown();
            try {
                RELEASED.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return r;
    }


    /** Group sizes and sums of ids, then {@link #gate}. */
    static Dataset grouped() {
        DataContext ctx = DataContext.current().toBuilder().readParallelism(12).build();
        return Datasets.range(ROWS).withContext(ctx)
                .withColumn("g", col("id").mod(GROUPS))
                .groupBy("g").aggregate(Agg.count().as("n"), Agg.sum("id").as("s"))
                .map(JobRestartTest::gate);
    }

    @Test
    void aNodeLostAfterAGroupByFinishedMakesTheJobRunAgainWithTheSameAnswer() throws Exception {
        long restarts = JobAttempts.restarts();
        Thread killer = killWhenGated(WeftCluster.driverNode(weft));
        List<Row> out = grouped().takeAll();
        killer.join();
        assertTrue(weft.nodes().stream().anyMatch(n -> !n.alive()), "a node was killed while the job ran");
        assertTrue(JobAttempts.restarts() > restarts, "the job ran again after losing blocks");
        check(out);
    }

    @Test
    void aWriteThatLostBlocksWithANodeStartsOverAndCommitsEveryRowOnce(@org.junit.jupiter.api.io.TempDir
                                                                          java.nio.file.Path dir) throws Exception {
        long restarts = JobAttempts.restarts();
        Thread killer = killWhenGated(WeftCluster.driverNode(weft));
        java.nio.file.Path target = dir.resolve("out");
        grouped().write(new ArrowFilesSink(target.toString(), -1));
        killer.join();
        assertTrue(weft.nodes().stream().anyMatch(n -> !n.alive()), "a node was killed while the job ran");
        assertTrue(JobAttempts.restarts() > restarts, "the write ran again after losing blocks");
        check(Datasets.from(new ArrowFilesSource(target.toString(), null, null)).takeAll());
        try (var files = java.nio.file.Files.walk(target)) {
            List<String> names = files.filter(java.nio.file.Files::isRegularFile)
                    .map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().allMatch(n -> n.startsWith("part-") && n.endsWith(".arrow")),
                    "only committed files: " + names);
            assertTrue(java.nio.file.Files.notExists(target.resolve("_temporary")), "no staging left");
        }
    }

    /** Once {@link #gate} is entered, kills the non-driver node holding the most objects, then lets the gate go. */
    private Thread killWhenGated(String driver) {
        return Thread.ofPlatform().start(() -> {
            try {
                if (!ENTERED.await(120, TimeUnit.SECONDS)) {
                    return;
                }
                // The group-by is over and its output blocks wait in the stores for the map stage.
                LocalClusterControl control = LocalClusterControl.of(weft);
                String victim = null;
                for (NodeInfo n : weft.nodes()) {
                    if (n.alive() && !n.nodeId().equals(driver) && control.storeObjectCount(n.nodeId()) > 0
                            && (victim == null || control.storeObjectCount(n.nodeId()) > control.storeObjectCount(victim))) {
                        victim = n.nodeId();
                    }
                }
                if (victim != null) {
                    control.killNode(victim);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                RELEASED.countDown();
            }
        });
    }

    private static void check(List<Row> out) {
        assertEquals(GROUPS, out.size());
        Map<Long, long[]> got = new HashMap<>();
        for (Row r : out) {
            got.put(r.getLong("g"), new long[] {r.getLong("n"), r.getLong("s")});
        }
        for (long g = 0; g < GROUPS; g++) {
            long[] a = got.get(g);
            long n = ROWS / GROUPS;
            long s = 0;
            for (long k = 0; k < n; k++) {
                s += g + k * GROUPS;
            }
            assertEquals(n, a[0], "count of group " + g);
            assertEquals(s, a[1], "sum of group " + g);
        }
    }
}
