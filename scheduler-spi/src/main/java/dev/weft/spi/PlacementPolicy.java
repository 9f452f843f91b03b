package dev.weft.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the node for a task or actor: a pure function of a read-only view of the cluster, called only by
 * the scheduler's single writer. Implementations must not block, allocate much, or keep references to the
 * view. Returning empty means "no node fits now" (the request stays queued).
 */
public interface PlacementPolicy {
    Optional<String> place(Request request, ClusterView cluster);

    /** What is being placed: the demand, the submitting node and bytes of its arguments per node. */
    record Request(Map<String, Double> demand, String localNodeId, Map<String, Long> argumentBytesByNode) {
    }

    /** The nodes as the scheduler sees them at this moment. */
    interface ClusterView {
        List<NodeView> nodes();
    }

    /** One node: its total and available resources. */
    interface NodeView {
        String nodeId();

        boolean alive();

        Map<String, Double> total();

        Map<String, Double> available();

        /** Whether {@code demand} fits in what is available now. */
        default boolean fitsNow(Map<String, Double> demand) {
            for (Map.Entry<String, Double> e : demand.entrySet()) {
                if (available().getOrDefault(e.getKey(), 0.0) + 1e-9 < e.getValue()) {
                    return false;
                }
            }
            return true;
        }

        /** Whether {@code demand} could ever fit on this node when it is idle. */
        default boolean fitsEver(Map<String, Double> demand) {
            for (Map.Entry<String, Double> e : demand.entrySet()) {
                if (total().getOrDefault(e.getKey(), 0.0) + 1e-9 < e.getValue()) {
                    return false;
                }
            }
            return true;
        }
    }
}
