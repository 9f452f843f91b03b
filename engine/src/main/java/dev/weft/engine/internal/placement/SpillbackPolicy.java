package dev.weft.engine.internal.placement;

import dev.weft.spi.PlacementPolicy.ClusterView;
import dev.weft.spi.PlacementPolicy.NodeView;
import java.util.Map;
import java.util.Optional;

/**
 * Where work queued on a node that cannot admit it now should go instead: the least loaded other live node on
 * which it fits now, or none (the work keeps waiting where it is). Like Ray's spillback, this is what lets work
 * queued behind an actor that took a node's last CPU run on a node that freed up. Pure; no state.
 */
public final class SpillbackPolicy {
    private SpillbackPolicy() {
    }

    public static Optional<String> target(Map<String, Double> demand, String fromNodeId, ClusterView cluster) {
        NodeView best = null;
        double bestLoad = Double.MAX_VALUE;
        for (NodeView n : cluster.nodes()) {
            if (!n.alive() || n.nodeId().equals(fromNodeId) || !n.fitsNow(demand)) {
                continue;
            }
            double load = HybridPolicy.criticalUtilization(n, demand);
            if (load < bestLoad) {
                best = n;
                bestLoad = load;
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.nodeId());
    }
}
