package dev.weft.taskgraph;

import dev.weft.api.Resources;
import dev.weft.api.WeftFunc0;
import dev.weft.api.WeftFunc1;
import dev.weft.api.WeftFunc2;
import dev.weft.api.WeftFunc3;
import dev.weft.api.WeftFunc4;
import dev.weft.api.WeftFunction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Dask-style task graph: a map from keys to literal values or to tasks (a function and its arguments, each a
 * literal or a dependency on other keys: {@link #dep(String)}, {@link #deps(List)}). Immutable and validated when
 * built: every dependency exists and there is no cycle. Run it with a {@link GraphScheduler}; the same graph gives
 * the same answer on every scheduler.
 *
 * <pre>{@code
 * TaskGraph g = TaskGraph.builder()
 *         .value("x", 1)
 *         .task("y", Fns::inc, dep("x"))
 *         .task("z", Fns::add, dep("x"), dep("y"))
 *         .build();
 * Object z = new WeftScheduler(weft).compute(g, "z");   // 3
 * }</pre>
 *
 * <p>Functions are static method references or lambdas with serializable captures (they run as Weft tasks on
 * other nodes); literal arguments and values must be serializable too. Thread-safe.
 */
public final class TaskGraph {
    private final Map<String, GraphNode> nodes;

    private TaskGraph(Map<String, GraphNode> nodes) {
        this.nodes = nodes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An argument that is the value of {@code key}. */
    public static Dep dep(String key) {
        return new Dep.One(key);
    }

    /** An argument that is the list of the values of {@code keys}, in order. */
    public static Dep deps(List<String> keys) {
        return new Dep.Many(keys);
    }

    /** The keys, in the order they were added. */
    public Set<String> keys() {
        return nodes.keySet();
    }

    public int size() {
        return nodes.size();
    }

    /** The distinct keys {@code key} depends on. */
    public List<String> dependencies(String key) {
        return node(key).dependencies();
    }

    /** The keys a fused task computes, the last being {@code key} itself; just {@code key} for an unfused task. */
    public List<String> fusedKeys(String key) {
        return node(key).fusedKeys();
    }

    /** The resources the task of {@code key} holds while it runs (empty: the scheduler's default). */
    public Map<String, Double> resources(String key) {
        return node(key).resources();
    }

    /** Whether {@code key} is a literal value rather than a task. */
    public boolean isLiteral(String key) {
        return node(key).isLiteral();
    }

    GraphNode node(String key) {
        GraphNode n = nodes.get(key);
        if (n == null) {
            throw new IllegalArgumentException("key '" + key + "' is not in the graph");
        }
        return n;
    }

    /** The graph with only {@code outputs} and the keys they depend on, transitively (Dask's {@code cull}). */
    public TaskGraph cull(Collection<String> outputs) {
        Set<String> needed = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (String o : outputs) {
            node(o);
            if (needed.add(o)) {
                todo.push(o);
            }
        }
        while (!todo.isEmpty()) {
            for (String d : nodes.get(todo.pop()).dependencies()) {
                if (needed.add(d)) {
                    todo.push(d);
                }
            }
        }
        Map<String, GraphNode> kept = new LinkedHashMap<>();
        nodes.forEach((k, n) -> {
            if (needed.contains(k)) {
                kept.put(k, n);
            }
        });
        return new TaskGraph(kept);
    }

    /**
     * The graph with each linear chain fused into one task (Dask's {@code fuse_linear}): a task whose only
     * dependency is another task that nothing else depends on, with the same resources, absorbs that task. Keys
     * in {@code keep} (the outputs) are never absorbed. The fused task keeps the key of the chain's last task.
     */
    public TaskGraph fuseLinear(Collection<String> keep) {
        Set<String> kept = new HashSet<>(keep);
        kept.forEach(this::node);
        Map<String, Integer> dependents = new HashMap<>();
        for (GraphNode n : nodes.values()) {
            for (String d : n.dependencies()) {
                dependents.merge(d, 1, Integer::sum);
            }
        }
        Map<String, GraphNode> out = new LinkedHashMap<>();
        for (String key : topologicalOrder()) {
            GraphNode n = nodes.get(key);
            GraphNode parent = fusableParent(n, dependents, kept, out);
            if (parent == null) {
                out.put(key, n);
            } else {
                out.remove(parent.key());
                out.put(key, FusedFunction.fuse(parent, n));
            }
        }
        // keep the insertion order of the original graph for readability
        Map<String, GraphNode> ordered = new LinkedHashMap<>();
        nodes.keySet().forEach(k -> {
            if (out.containsKey(k)) {
                ordered.put(k, out.get(k));
            }
        });
        return new TaskGraph(ordered);
    }

    private static GraphNode fusableParent(GraphNode n, Map<String, Integer> dependents, Set<String> kept,
                                           Map<String, GraphNode> done) {
        if (n.isLiteral()) {
            return null;
        }
        List<String> deps = n.dependencies();
        if (deps.size() != 1) {
            return null;
        }
        String p = deps.get(0);
        GraphNode parent = done.get(p);
        if (parent == null || parent.isLiteral() || kept.contains(p) || dependents.getOrDefault(p, 0) != 1
                || !parent.resources().equals(n.resources())) {
            return null;
        }
        for (Object a : n.args()) {
            if (a instanceof Dep.Many) {
                return null; // a chain link passes the previous value as a plain argument only
            }
        }
        return parent;
    }

    /** Culling then linear fusion: what every scheduler runs for {@code outputs}. */
    public TaskGraph optimize(Collection<String> outputs) {
        return cull(outputs).fuseLinear(outputs);
    }

    /** The keys in an order where every key comes after the keys it depends on. */
    public List<String> topologicalOrder() {
        return topologicalOrder(nodes);
    }

    private static List<String> topologicalOrder(Map<String, GraphNode> nodes) {
        List<String> order = new ArrayList<>(nodes.size());
        Map<String, Integer> state = new HashMap<>(nodes.size() * 2); // 1 visiting, 2 done
        for (String root : nodes.keySet()) {
            if (state.containsKey(root)) {
                continue;
            }
            // iterative DFS: a stack of (key, next dependency index)
            Deque<Object[]> stack = new ArrayDeque<>();
            stack.push(new Object[] {root, nodes.get(root).dependencies(), 0});
            state.put(root, 1);
            while (!stack.isEmpty()) {
                Object[] top = stack.peek();
                @SuppressWarnings("unchecked")
                List<String> deps = (List<String>) top[1];
                int i = (int) top[2];
                if (i == deps.size()) {
                    stack.pop();
                    state.put((String) top[0], 2);
                    order.add((String) top[0]);
                    continue;
                }
                top[2] = i + 1;
                String d = deps.get(i);
                Integer s = state.get(d);
                if (s == null) {
                    state.put(d, 1);
                    stack.push(new Object[] {d, nodes.get(d).dependencies(), 0});
                } else if (s == 1) {
                    List<String> cycle = new ArrayList<>();
                    for (Object[] f : stack) {
                        cycle.add(0, (String) f[0]);
                        if (f[0].equals(d)) {
                            break;
                        }
                    }
                    cycle.add(d);
                    throw new IllegalArgumentException("the graph has a cycle: " + String.join(" -> ", cycle));
                }
            }
        }
        return order;
    }

    static String checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a graph key must not be null or empty, got " + (key == null ? "null" : "''"));
        }
        return key;
    }

    @Override
    public String toString() {
        return "TaskGraph[" + nodes.size() + " keys]";
    }

    /** Adds keys; {@link #build()} validates the whole graph. Not thread-safe. */
    public static final class Builder {
        private final Map<String, GraphNode> nodes = new LinkedHashMap<>();

        private Builder() {
        }

        /** A key whose value is {@code value} (Dask: {@code {'x': 1}}). */
        public Builder value(String key, Object value) {
            return add(GraphNode.literal(checkKey(key), value));
        }

        public <R> Builder task(String key, WeftFunc0<R> fn) {
            return task(key, (WeftFunction) fn);
        }

        public <A, R> Builder task(String key, WeftFunc1<A, R> fn, Object a0) {
            return task(key, (WeftFunction) fn, a0);
        }

        public <A, B, R> Builder task(String key, WeftFunc2<A, B, R> fn, Object a0, Object a1) {
            return task(key, (WeftFunction) fn, a0, a1);
        }

        public <A, B, C, R> Builder task(String key, WeftFunc3<A, B, C, R> fn, Object a0, Object a1, Object a2) {
            return task(key, (WeftFunction) fn, a0, a1, a2);
        }

        public <A, B, C, D, R> Builder task(String key, WeftFunc4<A, B, C, D, R> fn, Object a0, Object a1, Object a2,
                                            Object a3) {
            return task(key, (WeftFunction) fn, a0, a1, a2, a3);
        }

        /** A key computed by {@code fn} applied to {@code args} (literals and {@link Dep}s). */
        public Builder task(String key, WeftFunction fn, Object... args) {
            checkKey(key);
            if (fn == null) {
                throw new IllegalArgumentException("key '" + key + "' has no function");
            }
            if (fn.arity() != args.length) {
                throw new IllegalArgumentException("key '" + key + "': the function takes " + fn.arity()
                        + " arguments, got " + args.length);
            }
            return add(new GraphNode(key, fn, args.clone(), null, Map.of(), List.of(key)));
        }

        /** The resources the task of {@code key} holds while it runs on Weft (Dask's {@code annotate(resources=)}). */
        public Builder resources(String key, Map<String, Double> resources) {
            GraphNode n = nodes.get(key);
            if (n == null) {
                throw new IllegalArgumentException("cannot annotate key '" + key + "': it is not in the graph (yet)");
            }
            if (n.isLiteral()) {
                throw new IllegalArgumentException("cannot annotate key '" + key + "': it is a literal, not a task");
            }
            nodes.put(key, n.withResources(Resources.copyOf(resources)));
            return this;
        }

        private Builder add(GraphNode n) {
            if (nodes.putIfAbsent(n.key(), n) != null) {
                throw new IllegalArgumentException("key '" + n.key() + "' is already in the graph");
            }
            return this;
        }

        public TaskGraph build() {
            for (GraphNode n : nodes.values()) {
                for (String d : n.dependencies()) {
                    if (!nodes.containsKey(d)) {
                        throw new IllegalArgumentException("key '" + n.key() + "' depends on '" + d
                                + "', which is not in the graph");
                    }
                }
            }
            Map<String, GraphNode> copy = new LinkedHashMap<>(nodes);
            topologicalOrder(copy);
            return new TaskGraph(copy);
        }
    }

    /** For tests and error messages: the arguments of {@code key}'s task as given. */
    List<Object> arguments(String key) {
        return Arrays.asList(node(key).args());
    }
}
