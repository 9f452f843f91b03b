package dev.weft.engine.internal.cluster;

import dev.weft.api.Resources;
import dev.weft.api.SchedulingStrategy;
import dev.weft.api.TaskOptions;
import dev.weft.engine.internal.cluster.proto.NodeEntry;
import java.util.HashMap;
import java.util.Map;

/**
 * Data locality, a soft preference: a task under the default strategy goes to the node whose store holds the
 * most of its input bytes (refs given as arguments or inside argument values), when the node is live, its
 * resources fit the task and it is not already far busier than the others; otherwise placement is as usual. An
 * input of unknown size (a ref made inside another task) counts as {@link #UNKNOWN_SIZE} bytes.
 */
final class Locality {
    /** The weight of an input whose size the driver does not know: a typical dataset block. */
    static final long UNKNOWN_SIZE = 1L << 20;
    /** The preferred node may hold this many more of the driver's tasks per CPU than the least loaded one. */
    static final double SLACK_PER_CPU = 2.0;

    private Locality() {
    }

    static NodeEntry place(ClusterView view, TaskLineage lineage, TaskOptions options, String what) {
        NodeEntry usual = view.place(options.resources(), options.strategy(), what);
        if (usual == null || lineage == null || lineage.inputs.isEmpty()
                || !(options.strategy() instanceof SchedulingStrategy.Default)) {
            return usual;
        }
        String best = preferred(lineage);
        if (best == null || best.equals(usual.getAddress()) || !view.live(best)) {
            return usual;
        }
        for (NodeEntry n : view.nodes()) {
            if (n.getAddress().equals(best) && fits(n, options.resources())
                    && load(view, n) <= load(view, usual) + SLACK_PER_CPU) {
                return n;
            }
        }
        return usual;
    }

    /** The holder of the most input bytes; null when no input is held by a node yet. */
    static String preferred(TaskLineage lineage) {
        Map<String, Long> bytes = new HashMap<>();
        for (OwnedObject in : lineage.inputs) {
            Location.Held h = in.held();
            if (h != null) {
                bytes.merge(h.holder(), h.size() > 0 ? h.size() : UNKNOWN_SIZE, Long::sum);
            }
        }
        String best = null;
        long most = 0;
        for (Map.Entry<String, Long> e : bytes.entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best;
    }

    private static double load(ClusterView view, NodeEntry n) {
        double cpus = Math.max(n.getStats().getTotalOrDefault(Resources.CPU, 0.0), 0.5);
        return view.inFlight(n.getAddress()).get() / cpus;
    }

    private static boolean fits(NodeEntry n, Map<String, Double> demand) {
        for (Map.Entry<String, Double> d : demand.entrySet()) {
            if (n.getStats().getTotalOrDefault(d.getKey(), 0.0) < d.getValue()) {
                return false;
            }
        }
        return true;
    }
}
