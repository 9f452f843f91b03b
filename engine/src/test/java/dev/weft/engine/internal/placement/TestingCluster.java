package dev.weft.engine.internal.placement;

import dev.weft.spi.PlacementPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A hand-written cluster view for policy tests: nodes with fixed totals and availability. */
final class TestingCluster implements PlacementPolicy.ClusterView {
    private final List<PlacementPolicy.NodeView> nodes = new ArrayList<>();

    TestingCluster node(String id, double totalCpu, double availableCpu) {
        return node(id, true, Map.of("CPU", totalCpu), Map.of("CPU", availableCpu));
    }

    TestingCluster node(String id, boolean alive, Map<String, Double> total, Map<String, Double> available) {
        nodes.add(new TestingNode(id, alive, total, available));
        return this;
    }

    @Override
    public List<PlacementPolicy.NodeView> nodes() {
        return nodes;
    }

    record TestingNode(String nodeId, boolean alive, Map<String, Double> total, Map<String, Double> available)
            implements PlacementPolicy.NodeView {
    }

    static PlacementPolicy.Request cpus(double cpus, String local) {
        return new PlacementPolicy.Request(Map.of("CPU", cpus), local, Map.of());
    }
}
