package dev.weft.api;

/** Where a task or actor may run. Placement-group scheduling is chosen with {@code placementGroup(pg, i)}. */
public sealed interface SchedulingStrategy {
    /** Hybrid: pack on the local node until its critical resource passes 50 % use, then the least loaded. */
    SchedulingStrategy DEFAULT = new Default();
    /** Round-robin over the nodes that fit. */
    SchedulingStrategy SPREAD = new Spread();

    /** Run on {@code nodeId}; if {@code soft}, elsewhere when that node is gone or can never fit. */
    static SchedulingStrategy nodeAffinity(String nodeId, boolean soft) {
        return new NodeAffinity(nodeId, soft);
    }

    record Default() implements SchedulingStrategy {
    }

    record Spread() implements SchedulingStrategy {
    }

    record NodeAffinity(String nodeId, boolean soft) implements SchedulingStrategy {
        public NodeAffinity {
            if (nodeId == null || nodeId.isBlank()) {
                throw new IllegalArgumentException("nodeAffinity needs a node id, got '" + nodeId + "'");
            }
        }
    }
}
