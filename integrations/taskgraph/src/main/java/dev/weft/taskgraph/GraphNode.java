package dev.weft.taskgraph;

import dev.weft.api.WeftFunction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One key of a graph: a literal value ({@code fn == null}), or a function of literal and {@link Dep} arguments,
 * with the resources its task holds. {@code fusedKeys} lists the keys a fused chain computes, the last being
 * {@code key}; an unfused node lists only itself. Immutable; its dependencies are worked out once.
 */
final class GraphNode {
    private final String key;
    private final WeftFunction fn;
    private final Object[] args;
    private final Object value;
    private final Map<String, Double> resources;
    private final List<String> fusedKeys;
    private final List<String> dependencies;

    GraphNode(String key, WeftFunction fn, Object[] args, Object value, Map<String, Double> resources,
              List<String> fusedKeys) {
        this.key = key;
        this.fn = fn;
        this.args = args;
        this.value = value;
        this.resources = resources;
        this.fusedKeys = fusedKeys;
        this.dependencies = dependenciesOf(args);
    }

    static GraphNode literal(String key, Object value) {
        return new GraphNode(key, null, new Object[0], value, Map.of(), List.of(key));
    }

    private static List<String> dependenciesOf(Object[] args) {
        String single = null;
        LinkedHashSet<String> keys = null;
        for (Object a : args) {
            if (a instanceof Dep d) {
                for (String k : d.keys()) {
                    if (single == null) {
                        single = k;
                    } else if (!single.equals(k) || keys != null) {
                        if (keys == null) {
                            keys = new LinkedHashSet<>();
                            keys.add(single);
                        }
                        keys.add(k);
                    }
                }
            }
        }
        if (keys != null) {
            return List.copyOf(new ArrayList<>(keys));
        }
        return single == null ? List.of() : List.of(single);
    }

    String key() {
        return key;
    }

    WeftFunction fn() {
        return fn;
    }

    Object[] args() {
        return args;
    }

    Object value() {
        return value;
    }

    Map<String, Double> resources() {
        return resources;
    }

    List<String> fusedKeys() {
        return fusedKeys;
    }

    boolean isLiteral() {
        return fn == null;
    }

    /** The distinct keys this node's arguments depend on, in the order they first appear. */
    List<String> dependencies() {
        return dependencies;
    }

    GraphNode withResources(Map<String, Double> r) {
        return new GraphNode(key, fn, args, value, r, fusedKeys);
    }
}
