package dev.weft.engine.internal.placement;

import dev.weft.spi.PlacementPolicy;
import java.util.Optional;

/**
 * Runs on one named node (queued there while it is busy). When that node is gone or can never fit the
 * demand: a soft affinity falls back to another policy, a hard one finds no node.
 */
public final class NodeAffinityPolicy implements PlacementPolicy {
    private final String nodeId;
    private final boolean soft;
    private final PlacementPolicy fallback;

    public NodeAffinityPolicy(String nodeId, boolean soft, PlacementPolicy fallback) {
        this.nodeId = nodeId;
        this.soft = soft;
        this.fallback = fallback;
    }

    @Override
    public Optional<String> place(Request request, ClusterView cluster) {
        for (NodeView n : cluster.nodes()) {
            if (n.nodeId().equals(nodeId) && n.alive() && n.fitsEver(request.demand())) {
                if (soft && !n.fitsNow(request.demand())) {
                    Optional<String> other = fallback.place(request, cluster);
                    if (other.isPresent()) {
                        return other;
                    }
                }
                return Optional.of(nodeId);
            }
        }
        return soft ? fallback.place(request, cluster) : Optional.empty();
    }
}
