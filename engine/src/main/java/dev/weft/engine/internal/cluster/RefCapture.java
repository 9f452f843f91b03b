package dev.weft.engine.internal.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The refs written while a participant encodes a task's arguments on one thread: a task's inputs include the refs
 * inside its argument values (a dataset task takes its blocks in a list), which lineage and locality need.
 * Confined to the encoding thread.
 */
final class RefCapture {
    private static final ThreadLocal<List<ClusterRef<?>>> WRITTEN = new ThreadLocal<>();

    private RefCapture() {
    }

    /** Starts collecting on this thread; {@link #stop()} returns what was written since. */
    static void start() {
        WRITTEN.set(new ArrayList<>());
    }

    static List<ClusterRef<?>> stop() {
        List<ClusterRef<?>> out = WRITTEN.get();
        WRITTEN.remove();
        return out == null ? List.of() : out;
    }

    /** Called by the codec for each ref it writes. */
    static void written(ClusterRef<?> ref) {
        List<ClusterRef<?>> out = WRITTEN.get();
        if (out != null) {
            out.add(ref);
        }
    }
}
