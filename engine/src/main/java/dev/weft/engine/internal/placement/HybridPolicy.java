package dev.weft.engine.internal.placement;

import dev.weft.spi.PlacementPolicy;
import java.util.Map;
import java.util.Optional;

/**
 * The default placement: keep work on the submitting node while its critical resource (the most used of the
 * resources the work asks for) is below the threshold, then prefer the least loaded node that fits now; when
 * nothing fits now, queue on the least loaded node that could ever fit. Empty only when no node ever fits.
 */
public final class HybridPolicy implements PlacementPolicy {
    public static final double DEFAULT_THRESHOLD = 0.5;
    private final double threshold;

    public HybridPolicy(double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("hybrid threshold must be in [0, 1], got " + threshold);
        }
        this.threshold = threshold;
    }

    public HybridPolicy() {
        this(DEFAULT_THRESHOLD);
    }

    @Override
    public Optional<String> place(Request request, ClusterView cluster) {
        Map<String, Double> demand = request.demand();
        NodeView local = null;
        NodeView bestNow = null;
        double bestNowLoad = Double.MAX_VALUE;
        NodeView bestEver = null;
        double bestEverLoad = Double.MAX_VALUE;
        for (NodeView n : cluster.nodes()) {
            if (!n.alive() || !n.fitsEver(demand)) {
                continue;
            }
            double load = criticalUtilization(n, demand);
            boolean isLocal = n.nodeId().equals(request.localNodeId());
            if (isLocal) {
                local = n;
            }
            if (n.fitsNow(demand) && (load < bestNowLoad || (load == bestNowLoad && isLocal))) {
                bestNow = n;
                bestNowLoad = load;
            }
            if (load < bestEverLoad || (load == bestEverLoad && isLocal)) {
                bestEver = n;
                bestEverLoad = load;
            }
        }
        if (local != null && local.fitsNow(demand) && criticalUtilization(local, demand) < threshold) {
            return Optional.of(local.nodeId());
        }
        if (bestNow != null) {
            return Optional.of(bestNow.nodeId());
        }
        return bestEver == null ? Optional.empty() : Optional.of(bestEver.nodeId());
    }

    /** The highest used fraction among the resources {@code demand} names (CPU when it names none). */
    static double criticalUtilization(NodeView node, Map<String, Double> demand) {
        Map<String, Double> total = node.total();
        Map<String, Double> available = node.available();
        if (demand.isEmpty()) {
            return utilization(total.getOrDefault("CPU", 0.0), available.getOrDefault("CPU", 0.0));
        }
        double max = 0;
        for (String r : demand.keySet()) {
            max = Math.max(max, utilization(total.getOrDefault(r, 0.0), available.getOrDefault(r, 0.0)));
        }
        return max;
    }

    private static double utilization(double total, double available) {
        return total <= 0 ? 1.0 : (total - available) / total;
    }
}
