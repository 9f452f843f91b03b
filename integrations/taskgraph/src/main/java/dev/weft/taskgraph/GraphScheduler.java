package dev.weft.taskgraph;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link TaskGraph}: what varies between {@link SynchronousScheduler} (the caller's thread, for debugging),
 * {@link ThreadPoolScheduler} (threads of this JVM) and {@link WeftScheduler} (Weft tasks on a cluster). Every
 * scheduler runs {@link TaskGraph#optimize(Collection)} first (culling, then linear fusion), runs each task once,
 * and gives the same values for the same graph. A failing key ends the computation with a
 * {@link TaskGraphException} naming the key and its dependency path. Implementations are thread-safe.
 */
public interface GraphScheduler {
    /** The values of {@code outputs}, by key, in the order given. Blocks until they are computed. */
    Map<String, Object> compute(TaskGraph graph, Collection<String> outputs);

    /** The value of one output. */
    default Object compute(TaskGraph graph, String output) {
        return compute(graph, List.of(output)).get(output);
    }
}
