package dev.weft.engine.internal.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.PlacementStrategy;
import dev.weft.spi.PlacementPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The placement policies as pure functions over {@link TestingCluster} views: no threads, no engine. */
class PlacementPoliciesTest {
    private final HybridPolicy hybrid = new HybridPolicy();

    @Test
    void hybridPacksOnTheLocalNodeWhileItIsBelowHalfUsed() {
        TestingCluster cluster = new TestingCluster().node("a", 4, 3).node("b", 4, 4);
        assertEquals(Optional.of("a"), hybrid.place(TestingCluster.cpus(1, "a"), cluster));
    }

    @Test
    void hybridSpreadsToTheLeastLoadedNodeOnceTheLocalNodeIsHalfUsed() {
        TestingCluster cluster = new TestingCluster().node("a", 4, 2).node("b", 4, 1).node("c", 4, 3);
        assertEquals(Optional.of("c"), hybrid.place(TestingCluster.cpus(1, "a"), cluster));
    }

    @Test
    void hybridQueuesOnTheLeastLoadedNodeWhenNothingFitsNowAndFindsNothingWhenNothingEverFits() {
        TestingCluster busy = new TestingCluster().node("a", 2, 0).node("b", 4, 0.5);
        assertEquals(Optional.of("b"), hybrid.place(TestingCluster.cpus(1, "a"), busy));
        assertEquals(Optional.empty(), hybrid.place(TestingCluster.cpus(8, "a"), busy));
    }

    @Test
    void hybridIgnoresDeadNodes() {
        TestingCluster cluster = new TestingCluster().node("a", false, Map.of("CPU", 4.0), Map.of("CPU", 4.0))
                .node("b", 4, 1);
        assertEquals(Optional.of("b"), hybrid.place(TestingCluster.cpus(1, "a"), cluster));
    }

    @Test
    void spreadRotatesOverTheNodesThatFit() {
        SpreadPolicy spread = new SpreadPolicy();
        TestingCluster cluster = new TestingCluster().node("a", 2, 2).node("b", 2, 2).node("c", 2, 0);
        List<Optional<String>> picks = List.of(spread.place(TestingCluster.cpus(1, "a"), cluster),
                spread.place(TestingCluster.cpus(1, "a"), cluster), spread.place(TestingCluster.cpus(1, "a"), cluster),
                spread.place(TestingCluster.cpus(1, "a"), cluster));
        assertTrue(picks.stream().allMatch(p -> p.isPresent() && !p.get().equals("c")), picks.toString());
        assertTrue(picks.contains(Optional.of("a")) && picks.contains(Optional.of("b")), picks.toString());
    }

    @Test
    void hardAffinityOnlyEverChoosesItsNodeAndSoftAffinityFallsBack() {
        TestingCluster cluster = new TestingCluster().node("a", 2, 0).node("b", false, Map.of("CPU", 2.0),
                Map.of("CPU", 2.0)).node("c", 2, 2);
        assertEquals(Optional.of("a"), new NodeAffinityPolicy("a", false, hybrid).place(TestingCluster.cpus(1, "c"), cluster));
        assertEquals(Optional.empty(), new NodeAffinityPolicy("b", false, hybrid).place(TestingCluster.cpus(1, "c"), cluster));
        assertEquals(Optional.of("c"), new NodeAffinityPolicy("b", true, hybrid).place(TestingCluster.cpus(1, "c"), cluster));
        assertEquals(Optional.of("c"), new NodeAffinityPolicy("a", true, hybrid).place(TestingCluster.cpus(1, "c"), cluster));
    }

    @Test
    void dataLocalityPrefersTheNodeHoldingMostArgumentBytes() {
        TestingCluster cluster = new TestingCluster().node("a", 2, 2).node("b", 2, 2).node("c", 1, 1);
        DataLocalityPolicy locality = new DataLocalityPolicy(hybrid);
        PlacementPolicy.Request request = new PlacementPolicy.Request(Map.of("CPU", 1.0), "a",
                Map.of("a", 10L, "b", 5_000_000L));
        assertEquals(Optional.of("b"), locality.place(request, cluster));
        PlacementPolicy.Request tooBigForHolder = new PlacementPolicy.Request(Map.of("CPU", 2.0), "a",
                Map.of("c", 5_000_000L));
        assertEquals(Optional.of("a"), locality.place(tooBigForHolder, cluster));
    }

    @Test
    void bundlePlannerHonoursEachStrategy() {
        TestingCluster cluster = new TestingCluster().node("a", 2, 2).node("b", 2, 2).node("c", 2, 2);
        List<Map<String, Double>> two = List.of(Map.of("CPU", 1.0), Map.of("CPU", 1.0));
        List<String> strictPack = BundlePlanner.plan(PlacementStrategy.STRICT_PACK, two, cluster, false).orElseThrow();
        assertEquals(strictPack.get(0), strictPack.get(1));
        List<String> strictSpread = BundlePlanner.plan(PlacementStrategy.STRICT_SPREAD, two, cluster, false).orElseThrow();
        assertTrue(!strictSpread.get(0).equals(strictSpread.get(1)));
        List<String> pack = BundlePlanner.plan(PlacementStrategy.PACK, List.of(Map.of("CPU", 2.0), Map.of("CPU", 1.0),
                Map.of("CPU", 1.0)), cluster, false).orElseThrow();
        assertEquals(2, pack.stream().distinct().count());
        List<String> spread = BundlePlanner.plan(PlacementStrategy.SPREAD, List.of(Map.of("CPU", 1.0), Map.of("CPU", 1.0),
                Map.of("CPU", 1.0), Map.of("CPU", 1.0)), cluster, false).orElseThrow();
        assertEquals(3, spread.stream().distinct().count());
    }

    @Test
    void bundlePlannerReportsGroupsThatCanNeverBePlaced() {
        TestingCluster cluster = new TestingCluster().node("a", 2, 2).node("b", 2, 2).node("c", 2, 2);
        List<Map<String, Double>> four = List.of(Map.of("CPU", 1.0), Map.of("CPU", 1.0), Map.of("CPU", 1.0),
                Map.of("CPU", 1.0));
        assertTrue(BundlePlanner.plan(PlacementStrategy.STRICT_SPREAD, four, cluster, true).isEmpty());
        assertTrue(BundlePlanner.plan(PlacementStrategy.STRICT_PACK, List.of(Map.of("CPU", 2.0), Map.of("CPU", 1.0)),
                cluster, true).isEmpty());
        TestingCluster busy = new TestingCluster().node("a", 2, 0).node("b", 2, 1);
        assertTrue(BundlePlanner.plan(PlacementStrategy.STRICT_PACK, List.of(Map.of("CPU", 2.0)), busy, false).isEmpty());
        assertTrue(BundlePlanner.plan(PlacementStrategy.STRICT_PACK, List.of(Map.of("CPU", 2.0)), busy, true).isPresent());
    }
}
