package dev.weft.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.NodeInfo;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.data.DataContext;
import dev.weft.engine.cluster.ClusterProcesses;
import dev.weft.engine.cluster.ClusterSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dataset jobs, unchanged, on a cluster of real JVMs (a head and two workers on 127.0.0.1): the streaming executor
 * runs in this driver, read, map, actor-pool and exchange tasks on the nodes. Each job's answer must equal the
 * embedded engine's.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ClusterDatasetsTest {
    static final long ROWS = 200_000;
    static ClusterProcesses cluster;
    static Weft weft;
    static List<String> groupBy;
    static List<String> sort;
    static List<String> actorPool;
    static List<String> parquet;

    @TempDir
    static Path dir;

    @BeforeAll
    static void answersOfTheEmbeddedEngineThenACluster() throws Exception {
        DataContext.setCurrent(DataContext.builder().progressBars(false).build());
        ClusterJobs.writeEvents(dir.resolve("in"));
        try (Weft local = Weft.init(WeftConfig.builder().address("local").nodes(1, 2).build())) {
            groupBy = ClusterJobs.groupBy(ROWS);
            sort = ClusterJobs.sort(ROWS);
            actorPool = ClusterJobs.actorPool(ROWS);
            parquet = ClusterJobs.parquet(dir.resolve("in"), dir.resolve("local-out"));
        }
        // a generous heartbeat timeout: the test JVM, three node JVMs and other builds share two cores
        cluster = ClusterProcesses.start(2, 2, 256L << 20, List.of("--heartbeat-timeout-ms", "8000"));
        weft = Weft.init(ClusterSessions.config(cluster));
    }

    @AfterAll
    static void stop() {
        if (weft != null) {
            weft.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aGroupByGivesTheEmbeddedAnswer() {
        assertEquals(groupBy, ClusterJobs.groupBy(ROWS));
    }

    @Test
    void aSortGivesTheEmbeddedAnswer() {
        assertEquals(sort, ClusterJobs.sort(ROWS));
    }

    @Test
    void anActorPoolMapGivesTheEmbeddedAnswer() {
        assertEquals(actorPool, ClusterJobs.actorPool(ROWS));
    }

    @Test
    void parquetReadAndWriteGiveTheEmbeddedAnswer() {
        Path out = dir.resolve("cluster-out");
        assertEquals(parquet, ClusterJobs.parquet(dir.resolve("in"), out));
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
    }

    @Test
    void blocksStayOnTheNodesAndAreFreedAfterTheJob() throws Exception {
        ClusterJobs.groupBy(ROWS);
        long used = 0;
        for (int i = 0; i < 200; i++) {
            used = 0;
            for (NodeInfo n : weft.nodes()) {
                used += n.objectCount();
            }
            if (used == 0) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(0, used, "objects left in the stores after the job: " + weft.nodes());
    }
}
