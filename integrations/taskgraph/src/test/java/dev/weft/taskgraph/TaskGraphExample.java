package dev.weft.taskgraph;

import static dev.weft.taskgraph.TaskGraph.dep;

import dev.weft.api.Weft;
import java.util.ArrayList;
import java.util.List;

/**
 * Runnable example: a Dask-style graph (leaves, each squared, then a pairwise reduction tree) computed by each of
 * the three schedulers. {@code WEFT_ADDRESS=host:port} runs the Weft scheduler's tasks on a cluster.
 */
public final class TaskGraphExample {
    private TaskGraphExample() {
    }

    /** {@code leaves} literal leaves, a square task on each, and a tree of pairwise sums; the root is "sum". */
    static TaskGraph sumOfSquares(int leaves) {
        TaskGraph.Builder b = TaskGraph.builder();
        List<String> level = new ArrayList<>();
        for (int i = 0; i < leaves; i++) {
            b.value("x-" + i, (long) i);
            b.task("sq-" + i, Fns::mul, dep("x-" + i), dep("x-" + i));
            level.add("sq-" + i);
        }
        int depth = 0;
        while (level.size() > 1) {
            List<String> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                if (i + 1 == level.size()) {
                    next.add(level.get(i));
                    continue;
                }
                String key = level.size() == 2 ? "sum" : "add-" + depth + "-" + i / 2;
                b.task(key, Fns::add, dep(level.get(i)), dep(level.get(i + 1)));
                next.add(key);
            }
            level = next;
            depth++;
        }
        return b.build();
    }

    public static void main(String[] args) {
        TaskGraph g = sumOfSquares(1000);
        try (Weft weft = Weft.init()) {
            for (GraphScheduler s : List.of(new SynchronousScheduler(), new ThreadPoolScheduler(4),
                    new WeftScheduler(weft))) {
                System.out.printf("%-20s sum of squares below 1000 = %s%n", s.getClass().getSimpleName(),
                        s.compute(g, "sum"));
            }
        }
    }
}
