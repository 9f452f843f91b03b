package dev.weft.engine.internal.placement;

import dev.weft.spi.PlacementPolicy;
import java.util.Map;
import java.util.Optional;

/**
 * Runs work where most of its argument bytes already are (the arguments then need no transfer), provided
 * that node is alive and could fit the demand; otherwise defers to another policy.
 */
public final class DataLocalityPolicy implements PlacementPolicy {
    private final PlacementPolicy fallback;

    public DataLocalityPolicy(PlacementPolicy fallback) {
        this.fallback = fallback;
    }

    @Override
    public Optional<String> place(Request request, ClusterView cluster) {
        String best = null;
        long bestBytes = 0;
        for (Map.Entry<String, Long> e : request.argumentBytesByNode().entrySet()) {
            if (e.getValue() > bestBytes) {
                best = e.getKey();
                bestBytes = e.getValue();
            }
        }
        if (best != null) {
            for (NodeView n : cluster.nodes()) {
                if (n.nodeId().equals(best) && n.alive() && n.fitsEver(request.demand())) {
                    return Optional.of(best);
                }
            }
        }
        return fallback.place(request, cluster);
    }
}
