package dev.weft.executor;

import dev.weft.api.WeftFunc1;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The Weft task functions behind the executor: each runs a shipped task object on the node it lands on. */
final class ExecutorTasks {
    private ExecutorTasks() {
    }

    static <T> T call(Callable<T> task) throws Exception {
        return task.call();
    }

    static <T, R> List<R> mapChunk(MapChunk<T, R> chunk) throws Exception {
        List<R> out = new ArrayList<>(chunk.items().size());
        for (T item : chunk.items()) {
            out.add(chunk.fn().apply(item));
        }
        return out;
    }

    /** Consecutive elements of a {@code parallelMap} and the function applied to each. */
    record MapChunk<T, R>(WeftFunc1<? super T, ? extends R> fn, List<T> items) {
    }
}
