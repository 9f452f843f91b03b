package dev.weft.taskgraph;

import dev.weft.api.ErrorType;
import dev.weft.api.TaskFailedException;
import dev.weft.api.WeftException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A graph made ready to run for some outputs: culled, fused, in topological order, with dependencies and
 * dependents as index arrays. Shared by the schedulers; also turns a failure into a {@link TaskGraphException}
 * naming the failed key and its path from an output (over the culled graph, so keys inside fused chains appear).
 */
final class Plan {
    final TaskGraph culled;
    final List<String> outputs;
    final GraphNode[] nodes;
    final NodeCall[] calls;
    final int[][] deps;
    final int[][] dependents;
    final boolean[] output;
    final Map<String, Integer> index;

    private Plan(TaskGraph culled, TaskGraph optimized, List<String> outputs) {
        this.culled = culled;
        this.outputs = outputs;
        List<String> order = optimized.topologicalOrder();
        int n = order.size();
        nodes = new GraphNode[n];
        calls = new NodeCall[n];
        deps = new int[n][];
        output = new boolean[n];
        index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            nodes[i] = optimized.node(order.get(i));
            index.put(order.get(i), i);
        }
        int[] dependentCount = new int[n];
        for (int i = 0; i < n; i++) {
            List<String> d = nodes[i].dependencies();
            deps[i] = new int[d.size()];
            for (int j = 0; j < deps[i].length; j++) {
                deps[i][j] = index.get(d.get(j));
                dependentCount[deps[i][j]]++;
            }
            calls[i] = nodes[i].isLiteral() ? null : NodeCall.of(nodes[i]);
        }
        dependents = new int[n][];
        for (int i = 0; i < n; i++) {
            dependents[i] = new int[dependentCount[i]];
        }
        int[] fill = new int[n];
        for (int i = 0; i < n; i++) {
            for (int d : deps[i]) {
                dependents[d][fill[d]++] = i;
            }
        }
        for (String o : outputs) {
            output[index.get(o)] = true;
        }
    }

    static Plan of(TaskGraph graph, Collection<String> outputs) {
        if (outputs == null || outputs.isEmpty()) {
            throw new IllegalArgumentException("compute needs at least one output key");
        }
        List<String> outs = List.copyOf(new LinkedHashSet<>(outputs));
        TaskGraph culled = graph.cull(outs);
        return new Plan(culled, culled.fuseLinear(outs), outs);
    }

    int size() {
        return nodes.length;
    }

    /** The number of dependents of each node, plus one for an output (which is never released). */
    int[] holds() {
        int[] h = new int[nodes.length];
        for (int i = 0; i < h.length; i++) {
            h[i] = dependents[i].length + (output[i] ? 1 : 0);
        }
        return h;
    }

    /** {@code error} (from any scheduler) as a {@link TaskGraphException} naming the failed key and its path. */
    TaskGraphException failure(Throwable error, String fallbackKey) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof TaskGraphException tge) {
            return tge;
        }
        String key = fallbackKey;
        Throwable cause = e;
        ErrorType type = e instanceof WeftException we ? we.errorType() : ErrorType.USER_ERROR;
        if (e instanceof TaskFailedException tf) {
            type = ErrorType.USER_ERROR;
            if (tf.getCause() instanceof KeyFailedException kf) {
                key = kf.key();
                cause = kf.getCause();
            } else {
                String named = KeyFailedException.class.getName().equals(tf.originalClassName())
                        ? KeyFailedException.keyOf(tf.originalMessage()) : null;
                key = named != null ? named : tf.taskName();
            }
        } else if (e instanceof KeyFailedException kf) {
            key = kf.key();
            cause = kf.getCause();
        }
        if (key == null || !culled.keys().contains(key)) {
            key = fallbackKey != null ? fallbackKey : outputs.get(0);
        }
        return new TaskGraphException(type, key, pathTo(key), cause);
    }

    /** The keys from an output down to {@code key}, over the culled (unfused) graph. */
    List<String> pathTo(String key) {
        Map<String, List<String>> users = new HashMap<>();
        for (String k : culled.keys()) {
            for (String d : culled.dependencies(k)) {
                users.computeIfAbsent(d, x -> new ArrayList<>()).add(k);
            }
        }
        Map<String, String> towardOutput = new HashMap<>();
        Deque<String> todo = new ArrayDeque<>(List.of(key));
        towardOutput.put(key, null);
        while (!todo.isEmpty()) {
            String k = todo.poll();
            if (outputs.contains(k)) {
                List<String> path = new ArrayList<>();
                for (String p = k; p != null; p = towardOutput.get(p)) {
                    path.add(p);
                }
                return path;
            }
            for (String u : users.getOrDefault(k, List.of())) {
                if (!towardOutput.containsKey(u)) {
                    towardOutput.put(u, k);
                    todo.add(u);
                }
            }
        }
        return Collections.singletonList(key);
    }
}
