package dev.weft.engine.internal.placement;

import dev.weft.spi.PlacementPolicy;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Round-robin over the alive nodes that fit the demand now (else over those that could ever fit). The only
 * state is the rotation counter, so it is safe to share between threads.
 */
public final class SpreadPolicy implements PlacementPolicy {
    private final AtomicLong next = new AtomicLong();

    @Override
    public Optional<String> place(Request request, ClusterView cluster) {
        List<NodeView> nodes = cluster.nodes();
        int n = nodes.size();
        if (n == 0) {
            return Optional.empty();
        }
        long start = next.getAndIncrement();
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < n; k++) {
                NodeView v = nodes.get((int) ((start + k) % n));
                if (v.alive() && (pass == 0 ? v.fitsNow(request.demand()) : v.fitsEver(request.demand()))) {
                    return Optional.of(v.nodeId());
                }
            }
        }
        return Optional.empty();
    }
}
