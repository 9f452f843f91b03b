package dev.weft.engine.internal.placement;

import dev.weft.engine.internal.scheduler.NodeScheduler;
import dev.weft.engine.internal.scheduler.ResourceIndex;
import dev.weft.spi.PlacementPolicy.ClusterView;
import dev.weft.spi.PlacementPolicy.NodeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A read-only view of the nodes built from their last published snapshots (minus work already sent to them),
 * so placement never touches a node's live scheduling state.
 */
public final class SnapshotClusterView implements ClusterView {
    private final List<NodeView> nodes;

    public SnapshotClusterView(List<NodeScheduler> schedulers, ResourceIndex index) {
        List<NodeView> views = new ArrayList<>(schedulers.size());
        for (NodeScheduler s : schedulers) {
            views.add(new View(s, index));
        }
        this.nodes = views;
    }

    @Override
    public List<NodeView> nodes() {
        return nodes;
    }

    private static final class View implements NodeView {
        private final NodeScheduler node;
        private final ResourceIndex index;
        private final boolean alive;
        private Map<String, Double> total;
        private Map<String, Double> available;

        View(NodeScheduler node, ResourceIndex index) {
            this.node = node;
            this.index = index;
            this.alive = node.alive();
        }

        @Override
        public String nodeId() {
            return node.nodeId();
        }

        @Override
        public boolean alive() {
            return alive;
        }

        @Override
        public Map<String, Double> total() {
            if (total == null) {
                total = index.toMap(node.total());
            }
            return total;
        }

        @Override
        public Map<String, Double> available() {
            if (available == null) {
                double[] a = node.availableForPlacement();
                double[] t = node.total();
                // keep zero (and negative) slots the node has, so "fully used" reads as 0 rather than absent
                java.util.LinkedHashMap<String, Double> m = new java.util.LinkedHashMap<>();
                for (int i = 0; i < Math.min(a.length, t.length); i++) {
                    if (t[i] != 0) {
                        m.put(index.name(i), a[i]);
                    }
                }
                available = m;
            }
            return available;
        }
    }
}
