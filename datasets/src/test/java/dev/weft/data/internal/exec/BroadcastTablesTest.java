package dev.weft.data.internal.exec;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.data.Dataset;
import dev.weft.data.Datasets;
import dev.weft.data.JoinType;
import dev.weft.data.OperatorStats;
import dev.weft.data.internal.arrow.DataAllocators;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A broadcast join's hash table is built once per JVM for all the tasks that probe it, and freed with the job. */
class BroadcastTablesTest {
    static Weft weft;

    @BeforeAll
    static void start() {
        weft = Weft.init(WeftConfig.builder().address("local").nodes(1, 2).build());
    }

    @AfterAll
    static void stop() {
        weft.close();
    }

    @Test
    void theTasksOfOneJoinShareOneTableWhichGoesWithTheJob() {
        List<Map<String, Object>> right = new ArrayList<>();
        for (long k = 0; k < 100; k++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("k", k);
            m.put("rv", k * 10);
            right.add(m);
        }
        Dataset left = Datasets.range(40_000).repartition(8).withColumn("k", col("id").mod(100L));
        Dataset joined = left.join(Datasets.fromItems(right), List.of("k"), List.of("k"), JoinType.INNER, true)
                .withColumn("one", col("rv").minus(col("rv")));
        long before = BroadcastTables.builds();
        assertEquals(40_000, joined.takeAll().size());
        OperatorStats probe = joined.stats().operators().stream().filter(o -> o.name().contains("BroadcastJoin"))
                .findFirst().orElseThrow(() -> new AssertionError(joined.stats().toString()));
        assertTrue(probe.tasks() > 1, "several tasks probe the table: " + joined.stats());
        assertEquals(1, BroadcastTables.builds() - before, "built once for " + probe.tasks() + " tasks");
        assertEquals(0, BroadcastTables.size(), "released with the job");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (DataAllocators.root().getAllocatedMemory() != 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        assertEquals(0, DataAllocators.root().getAllocatedMemory(), DataAllocators.root().toVerboseString());
    }
}
