package dev.weft.taskgraph;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs every task on the calling thread in topological order (Dask's {@code scheduler="synchronous"}): no
 * parallelism, plain stack traces, for debugging and as the reference answer. Intermediate values are dropped as
 * soon as their last dependent has run.
 */
public final class SynchronousScheduler implements GraphScheduler {
    @Override
    public Map<String, Object> compute(TaskGraph graph, Collection<String> outputs) {
        Plan plan = Plan.of(graph, outputs);
        Object[] values = new Object[plan.size()];
        int[] holds = plan.holds();
        for (int i = 0; i < plan.size(); i++) {
            GraphNode n = plan.nodes[i];
            if (n.isLiteral()) {
                values[i] = n.value();
                continue;
            }
            int[] d = plan.deps[i];
            Object[] in = new Object[d.length];
            for (int j = 0; j < d.length; j++) {
                in[j] = values[d[j]];
            }
            try {
                values[i] = plan.calls[i].run(in);
            } catch (RuntimeException e) {
                throw plan.failure(e, n.key());
            }
            for (int j : d) {
                if (--holds[j] == 0) {
                    values[j] = null;
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String o : plan.outputs) {
            out.put(o, values[plan.index.get(o)]);
        }
        return out;
    }
}
