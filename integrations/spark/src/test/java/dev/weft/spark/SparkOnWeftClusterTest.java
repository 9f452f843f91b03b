package dev.weft.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.api.NodeInfo;
import dev.weft.api.Resources;
import dev.weft.api.Weft;
import dev.weft.engine.cluster.ClusterProcesses;
import dev.weft.engine.cluster.ClusterSessions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark on a Weft cluster of real JVMs (a head and a worker on 127.0.0.1, 2 CPUs each), master {@code
 * weft://host:port}: the executor actors run on the node JVMs, each starting its executor JVM there; W4 on events
 * the executors generate gives the groups a plain Java fold of the same generator gives; stop frees everything.
 */
@Timeout(600)
class SparkOnWeftClusterTest {
    private static final int FILES = 4;
    private static final int ROWS_PER_FILE = 50_000;

    @TempDir
    static Path dir;

    @Test
    void w4OnAWeftClusterGivesTheGeneratorsGroupsAndStopFreesTheNodes() throws Exception {
        try (ClusterProcesses cluster = ClusterProcesses.start(1, 2, 256L << 20,
                List.of("--heartbeat-timeout-ms", "8000"));
             Weft observer = Weft.init(ClusterSessions.config(cluster))) {
            SparkSession spark = SparkTests.session("weft://" + cluster.address())
                    .config(WeftConnection.PROPERTY_PREFIX + "token", cluster.token())
                    .config("spark.executor.instances", 2)
                    .config("spark.executor.cores", 1)
                    .config("spark.executor.memory", "512m")
                    .getOrCreate();
            SparkContext sc = spark.sparkContext();
            try {
                SparkTests.await("2 executors registered", () -> SparkTests.registeredExecutors(sc) == 2);
                SparkTests.await("2 of the cluster's 4 CPUs held", () -> cpus(observer, false) == 2.0);
                assertEquals(2, SparkTests.executorProcesses().size(), "executor JVMs under the node JVMs");
                String events = dir.resolve("events").toString();
                SparkOnWeftExample.writeEvents(spark, events, FILES, ROWS_PER_FILE);
                Map<Long, Row> got = SparkOnWeftTest.byKey(SparkOnWeftExample.w4(spark, events));
                Map<Long, double[]> want = generatorGroups();
                assertEquals(want.keySet(), got.keySet(), "group keys");
                for (Map.Entry<Long, double[]> e : want.entrySet()) {
                    Row have = got.get(e.getKey());
                    assertEquals((long) e.getValue()[0], have.getLong(1), "count of key " + e.getKey());
                    assertEquals(e.getValue()[1], have.getDouble(2), 1e-9, "sum(x) of key " + e.getKey());
                }
            } finally {
                spark.stop();
            }
            SparkTests.await("no executor JVM after stop", () -> SparkTests.executorProcesses().isEmpty());
            SparkTests.await("all 4 CPUs free after stop", () -> cpus(observer, false) == 4.0);
            assertEquals(4.0, cpus(observer, true), "the cluster's CPUs");
        }
    }

    private static double cpus(Weft weft, boolean total) {
        return weft.nodes().stream().filter(NodeInfo::alive)
                .mapToDouble(n -> (total ? n.totalResources() : n.availableResources())
                        .getOrDefault(Resources.CPU, 0.0)).sum();
    }

    /** Count and sum(x) per key, folded in plain Java from the generator {@link SparkOnWeftExample#writeEvents} uses. */
    private static Map<Long, double[]> generatorGroups() {
        Map<Long, double[]> groups = new HashMap<>();
        for (long f = 0; f < FILES; f++) {
            SplittableRandom rng = new SplittableRandom(1_000_000 + f);
            for (int i = 0; i < ROWS_PER_FILE; i++) {
                long key = rng.nextLong(100_000);
                double x = rng.nextDouble();
                double[] g = groups.computeIfAbsent(key, k -> new double[2]);
                g[0]++;
                g[1] += x;
            }
        }
        return groups;
    }
}
