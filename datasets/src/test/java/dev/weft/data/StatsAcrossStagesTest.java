package dev.weft.data;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code stats()} of a job with exchanges shows every stage it ran, not only the part after the last exchange: the
 * reads and maps (actor pools included) that fed the exchange, the exchange itself, and the rest, with a wall time
 * for the whole that covers each of them.
 */
class StatsAcrossStagesTest {
    private static Weft weft;

    @BeforeAll
    static void start() {
        weft = Weft.init();
    }

    @AfterAll
    static void stop() {
        weft.close();
    }

    private static List<String> names(DatasetStats s) {
        return s.operators().stream().map(OperatorStats::name).toList();
    }

    private static void coversEveryStage(DatasetStats s) {
        for (OperatorStats o : s.operators()) {
            assertTrue(s.wallNanos() >= o.wallNanos(), "the whole (" + s.wallNanos() + " ns) covers " + o.name()
                    + " (" + o.wallNanos() + " ns):\n" + s);
        }
    }

    @Test
    void aGroupByFedByAnActorPoolShowsTheReadThePoolAndTheAggregation() {
        Dataset d = Datasets.range(100_000).withColumn("g", col("id").mod(100))
                .mapBatches(b -> b, MapBatches.actors(1, 2))
                .groupBy("g").aggregate(Agg.sum("id"));
        assertEquals(100, d.count());
        DatasetStats s = d.stats();
        List<String> names = names(s);
        assertTrue(names.getFirst().startsWith("ReadRange"), s::toString);
        assertEquals(100_000, s.operator("ReadRange").rows(), s::toString);
        assertTrue(s.operator("MapBatches").peakActors() > 0, s::toString);
        assertEquals(100, s.operator("HashAggregate").rows(), "the exchange's output rows:\n" + s);
        assertTrue(names.indexOf(s.operator("MapBatches").name()) < names.indexOf(s.operator("HashAggregate").name()),
                "upstream stages first:\n" + s);
        coversEveryStage(s);
    }

    @Test
    void aSortShowsWhatFedItAndItself() {
        Dataset d = Datasets.range(50_000).withColumn("k", col("id").times(7).mod(1000)).sort("k");
        assertEquals(50_000, d.takeAll().size());
        DatasetStats s = d.stats();
        assertEquals(50_000, s.operator("ReadRange").rows(), s::toString);
        assertEquals(50_000, s.operator("Sort[k asc]").rows(), s::toString);
        coversEveryStage(s);
    }

    @Test
    void aJoinShowsBothSides() {
        Dataset right = Datasets.range(1_000).withColumn("k", col("id")).select("k");
        Dataset d = Datasets.range(20_000).withColumn("k", col("id").mod(1000)).join(right, "k", JoinType.INNER);
        assertEquals(20_000, d.count());
        DatasetStats s = d.stats();
        long reads = s.operators().stream().filter(o -> o.name().startsWith("ReadRange")).count();
        assertEquals(2, reads, "one read per side:\n" + s);
        assertTrue(names(s).stream().anyMatch(n -> n.contains("Join")), s::toString);
        coversEveryStage(s);
    }
}
