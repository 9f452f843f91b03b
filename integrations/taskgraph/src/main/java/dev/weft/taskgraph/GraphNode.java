package dev.weft.taskgraph;

import dev.weft.api.WeftFunction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One key of a graph: a literal value ({@code fn == null}), or a function of literal and {@link Dep} arguments,
 * with the resources its task holds. {@code fusedKeys} lists the keys a fused chain computes, the last being
 * {@code key}; an unfused node lists only itself.
 */
record GraphNode(String key, WeftFunction fn, Object[] args, Object value, Map<String, Double> resources,
                 List<String> fusedKeys) {
    static GraphNode literal(String key, Object value) {
        return new GraphNode(key, null, new Object[0], value, Map.of(), List.of(key));
    }

    boolean isLiteral() {
        return fn == null;
    }

    /** The distinct keys this node's arguments depend on, in the order they first appear. */
    List<String> dependencies() {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (Object a : args) {
            if (a instanceof Dep d) {
                keys.addAll(d.keys());
            }
        }
        return new ArrayList<>(keys);
    }

    GraphNode withResources(Map<String, Double> r) {
        return new GraphNode(key, fn, args, value, r, fusedKeys);
    }
}
