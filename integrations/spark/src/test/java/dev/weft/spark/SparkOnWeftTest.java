package dev.weft.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.NodeInfo;
import dev.weft.api.Resources;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.cluster.CoarseGrainedSchedulerBackend;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark on the embedded Weft cluster of this JVM: W4 gives the answer of Spark {@code local[2]} on the same files,
 * the executors are the actors and child JVMs asked for, with the requested cores and memory, and everything they
 * held is free again after Spark kills them or the application stops; dynamic allocation starts and releases them.
 */
@Timeout(300)
class SparkOnWeftTest {
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final double NODE_CPUS = 4;
    private static final double NODE_MEMORY = 8 * GIB;

    @TempDir
    static Path dir;
    static Weft weft;
    static String events;
    static Map<Long, Row> expected;

    @BeforeAll
    static void generateEventsAndSparksAnswer() {
        weft = Weft.init(WeftConfig.builder().addNode(Map.of(Resources.CPU, NODE_CPUS, Resources.MEMORY, NODE_MEMORY))
                .build());
        events = dir.resolve("events").toString();
        SparkSession local = SparkTests.session("local[2]").getOrCreate();
        try {
            SparkOnWeftExample.writeEvents(local, events, 4, 250_000);
            expected = byKey(SparkOnWeftExample.w4(local, events));
        } finally {
            local.stop();
        }
    }

    @AfterEach
    void noApplicationLeft() {
        SparkTests.stopLeftoverApplication();
    }

    @AfterAll
    static void closeWeft() {
        if (weft != null) {
            weft.close();
        }
    }

    @Test
    void w4OnTwoExecutorActorsGivesSparksAnswerAndEverythingIsFreedAfterStop() {
        SparkSession spark = SparkTests.session("weft")
                .config("spark.executor.instances", 2)
                .config("spark.executor.cores", 1)
                .config("spark.executor.memory", "512m")
                .getOrCreate();
        SparkContext sc = spark.sparkContext();
        String appId = sc.applicationId();
        try {
            SparkTests.await("2 executors registered", () -> SparkTests.registeredExecutors(sc) == 2);
            assertEquals(2, ((CoarseGrainedSchedulerBackend) sc.schedulerBackend()).totalCoreCount().get(),
                    "task slots: 2 executors x 1 core");
            assertTrue(weft.getActor(actorName(appId, 1)).isPresent(), "executor 1's actor");
            assertTrue(weft.getActor(actorName(appId, 2)).isPresent(), "executor 2's actor");
            // each actor holds 1 CPU and 512 MiB heap + 384 MiB overhead, as long as it lives
            double executorMemory = (512 + 384) * 1024.0 * 1024.0;
            SparkTests.await("the actors' resources held", () -> available(Resources.CPU) == NODE_CPUS - 2
                    && available(Resources.MEMORY) == NODE_MEMORY - 2 * executorMemory);
            List<ProcessHandle> children = SparkTests.executorProcesses();
            assertEquals(2, children.size(), "executor JVMs: " + children);
            for (ProcessHandle child : children) {
                List<String> args = List.of(child.info().arguments().orElseThrow());
                assertTrue(args.contains("-Xmx512m"), "heap of " + args);
                assertEquals("1", args.get(args.indexOf("--cores") + 1), "cores of " + args);
                assertEquals(appId, args.get(args.indexOf("--app-id") + 1), "app of " + args);
            }
            assertTrue(Files.isRegularFile(SparkTests.EXECUTOR_LOGS.resolve(appId).resolve("executor-1.log")),
                    "executor 1's log file");

            Map<Long, Row> got = byKey(SparkOnWeftExample.w4(spark, events));
            assertSameGroups(expected, got);

            // Spark kills an executor: its actor goes, its process exits, its CPU and memory come back
            assertTrue(sc.killExecutor("2"));
            SparkTests.await("executor 2's actor gone", () -> weft.getActor(actorName(appId, 2)).isEmpty());
            SparkTests.await("one executor JVM left", () -> SparkTests.executorProcesses().size() == 1);
            SparkTests.await("executor 2's resources back", () -> available(Resources.CPU) == NODE_CPUS - 1
                    && available(Resources.MEMORY) == NODE_MEMORY - executorMemory);
            assertEquals(250_000L * 4, spark.read().parquet(events).count(), "a job on the executor left");
            assertTrue(weft.getActor(actorName(appId, 1)).isPresent(), "executor 1 is not replaced or killed");

            // its actor killed from outside Spark: the executor's JVM goes with it, Spark loses the executor and
            // (its total lowered to 0 by the kill above, as Spark does for a kill without replacement) starts none
            weft.kill(weft.getActor(actorName(appId, 1)).orElseThrow());
            SparkTests.await("executor 1's JVM gone with its actor", () -> SparkTests.executorProcesses().isEmpty());
            SparkTests.await("Spark lost executor 1", () -> SparkTests.registeredExecutors(sc) == 0);
            SparkTests.await("executor 1's resources back", SparkOnWeftTest::allFree);
        } finally {
            spark.stop();
        }
        assertFalse(weft.getActor(actorName(appId, 1)).isPresent(), "executor 1's actor after stop");
        SparkTests.await("no executor JVM after stop", () -> SparkTests.executorProcesses().isEmpty());
        SparkTests.await("all of Weft's resources free after stop", SparkOnWeftTest::allFree);
    }

    @Test
    void dynamicAllocationStartsExecutorsForAJobAndReleasesThemWhenIdle() {
        SparkSession spark = SparkTests.session("weft")
                .config("spark.dynamicAllocation.enabled", true)
                .config("spark.dynamicAllocation.shuffleTracking.enabled", true)
                .config("spark.dynamicAllocation.shuffleTracking.timeout", "1s")
                .config("spark.dynamicAllocation.minExecutors", 0)
                .config("spark.dynamicAllocation.initialExecutors", 0)
                .config("spark.dynamicAllocation.maxExecutors", 2)
                .config("spark.dynamicAllocation.executorIdleTimeout", "1s")
                .config("spark.dynamicAllocation.schedulerBacklogTimeout", "1s")
                .config("spark.executor.cores", 1)
                .config("spark.executor.memory", "512m")
                .getOrCreate();
        SparkContext sc = spark.sparkContext();
        String appId = sc.applicationId();
        AtomicInteger added = new AtomicInteger();
        AtomicInteger removed = new AtomicInteger();
        sc.addSparkListener(new SparkListener() {
            @Override
            public void onExecutorAdded(SparkListenerExecutorAdded event) {
                added.incrementAndGet();
            }

            @Override
            public void onExecutorRemoved(SparkListenerExecutorRemoved event) {
                removed.incrementAndGet();
            }
        });
        try {
            assertEquals(0, SparkTests.registeredExecutors(sc), "no executor before the first job");
            assertTrue(allFree(), "no resources held before the first job");
            Map<Long, Row> got = byKey(SparkOnWeftExample.w4(spark, events));
            assertSameGroups(expected, got);
            assertTrue(added.get() >= 1, "executors started for the job: " + added.get());
            SparkTests.await("idle executors released", () -> removed.get() == added.get()
                    && SparkTests.registeredExecutors(sc) == 0 && SparkTests.executorProcesses().isEmpty() && allFree());
            // ids count up from 1; a lowered total may have stopped a pending executor and a later one replaced it
            for (int id = 1; id <= added.get() + 4; id++) {
                assertTrue(weft.getActor(actorName(appId, id)).isEmpty(), "executor " + id + "'s actor after release");
            }
        } finally {
            spark.stop();
        }
        SparkTests.await("all of Weft's resources free after stop", SparkOnWeftTest::allFree);
    }

    private static String actorName(String appId, int executor) {
        return "spark-" + appId + "-executor-" + executor;
    }

    private static double available(String resource) {
        return weft.nodes().stream().filter(NodeInfo::alive)
                .mapToDouble(n -> n.availableResources().getOrDefault(resource, 0.0)).sum();
    }

    private static boolean allFree() {
        return available(Resources.CPU) == NODE_CPUS && available(Resources.MEMORY) == NODE_MEMORY;
    }

    static Map<Long, Row> byKey(List<Row> groups) {
        Map<Long, Row> m = new TreeMap<>();
        for (Row r : groups) {
            m.put(r.getLong(0), r);
        }
        assertEquals(groups.size(), m.size(), "one row per key");
        return m;
    }

    /** Same keys and counts; sums and means equal up to the order of floating-point additions across partitions. */
    static void assertSameGroups(Map<Long, Row> expected, Map<Long, Row> got) {
        assertTrue(expected.size() > 99_000, "about 100,000 groups, got " + expected.size());
        assertEquals(expected.keySet(), got.keySet(), "group keys");
        for (Map.Entry<Long, Row> e : expected.entrySet()) {
            Row want = e.getValue();
            Row have = got.get(e.getKey());
            assertEquals(want.getLong(1), have.getLong(1), "count of key " + e.getKey());
            assertEquals(want.getDouble(2), have.getDouble(2), 1e-9 * Math.max(1, Math.abs(want.getDouble(2))),
                    "sum(x) of key " + e.getKey());
            assertEquals(want.getDouble(3), have.getDouble(3), 1e-12, "mean(x) of key " + e.getKey());
        }
    }
}
