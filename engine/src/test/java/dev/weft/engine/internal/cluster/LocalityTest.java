package dev.weft.engine.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.api.Resources;
import dev.weft.api.SchedulingStrategy;
import dev.weft.api.TaskOptions;
import dev.weft.engine.internal.cluster.proto.NodeEntry;
import dev.weft.engine.internal.cluster.proto.NodeStats;
import dev.weft.engine.internal.cluster.proto.TaskRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Locality as a pure choice over a driver's view: the holder of the most input bytes, when it fits and is not far busier. */
class LocalityTest {
    static NodeEntry node(String id, double cpus) {
        return NodeEntry.newBuilder().setNodeId(id).setAddress(id + ":1").setAlive(true)
                .setStats(NodeStats.newBuilder().putTotal(Resources.CPU, cpus).putAvailable(Resources.CPU, cpus)).build();
    }

    static OwnedObject held(String holder, long size) {
        OwnedObject o = new OwnedObject("o-" + holder + size, "job-1", x -> { });
        o.location.complete(new Location.Held(holder, size));
        return o;
    }

    static TaskLineage lineage(OwnedObject... inputs) {
        return new TaskLineage("t", TaskRequest.newBuilder(), TaskOptions.DEFAULT, List.of(inputs),
                new OwnedObject("r", "job-1", x -> { }));
    }

    @Test
    void theHolderOfTheMostBytesIsPreferred() {
        ClusterView view = new ClusterView();
        view.update(List.of(node("a", 2), node("b", 2), node("c", 2)));
        TaskLineage l = lineage(held("b:1", 10 << 20), held("c:1", 1 << 20), held("c:1", 2 << 20));
        assertEquals("b:1", Locality.place(view, l, TaskOptions.DEFAULT, "task t").getAddress());
    }

    @Test
    void inputsOfUnknownSizeCountAsOneBlockEach() {
        TaskLineage l = lineage(held("b:1", -1), held("c:1", -1), held("c:1", -1));
        assertEquals("c:1", Locality.preferred(l));
    }

    @Test
    void aBusyOrUnfitOrDeadHolderIsPassedOver() {
        ClusterView view = new ClusterView();
        view.update(List.of(node("a", 2), node("b", 2)));
        TaskLineage l = lineage(held("b:1", 10 << 20));
        view.inFlight("b:1").set(10);
        assertEquals("a:1", Locality.place(view, l, TaskOptions.DEFAULT, "task t").getAddress(), "busy");
        view.inFlight("b:1").set(0);
        TaskOptions big = TaskOptions.builder().resource(Resources.CPU, 4).build();
        view.update(List.of(node("a", 8), node("b", 2)));
        assertEquals("a:1", Locality.place(view, l, big, "task t").getAddress(), "does not fit");
        view.update(List.of(node("a", 2), node("b", 2)));
        view.suspect("b:1");
        assertEquals("a:1", Locality.place(view, l, TaskOptions.DEFAULT, "task t").getAddress(), "seen failing");
    }

    @Test
    void anExplicitStrategyWins() {
        ClusterView view = new ClusterView();
        view.update(List.of(node("a", 2), node("b", 2)));
        TaskLineage l = lineage(held("b:1", 10 << 20));
        TaskOptions pinned = TaskOptions.builder().schedulingStrategy(new SchedulingStrategy.NodeAffinity("a", false)).build();
        assertEquals("a:1", Locality.place(view, l, pinned, "task t").getAddress());
    }
}
