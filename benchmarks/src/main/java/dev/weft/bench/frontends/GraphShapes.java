package dev.weft.bench.frontends;

import dev.weft.api.Weft;
import dev.weft.taskgraph.GraphScheduler;
import dev.weft.taskgraph.SynchronousScheduler;
import dev.weft.taskgraph.TaskGraph;
import dev.weft.taskgraph.ThreadPoolScheduler;
import dev.weft.taskgraph.WeftScheduler;
import java.util.ArrayList;
import java.util.List;

/** A TaskGraph of leaves plus a pairwise reduction tree, on each scheduler. */
final class GraphShapes {
    private GraphShapes() {
    }

    public static long leaf(long i) {
        return i * 3 + 1;
    }

    public static long add(long a, long b) {
        return a + b;
    }

    /** {@code leaves} leaf tasks and {@code leaves - 1} pairwise sums: {@code 2 * leaves - 1} tasks; root "root". */
    static TaskGraph tree(int leaves) {
        TaskGraph.Builder b = TaskGraph.builder();
        List<String> level = new ArrayList<>(leaves);
        for (int i = 0; i < leaves; i++) {
            b.task("leaf-" + i, GraphShapes::leaf, (long) i);
            level.add("leaf-" + i);
        }
        int depth = 0;
        while (level.size() > 1) {
            List<String> next = new ArrayList<>(level.size() / 2 + 1);
            for (int i = 0; i + 1 < level.size(); i += 2) {
                String key = level.size() == 2 ? "root" : "add-" + depth + "-" + i;
                b.task(key, GraphShapes::add, TaskGraph.dep(level.get(i)), TaskGraph.dep(level.get(i + 1)));
                next.add(key);
            }
            if (level.size() % 2 == 1) {
                next.add(level.getLast());
            }
            level = next;
            depth++;
        }
        return b.build();
    }

    static Engine engine(String name, GraphScheduler scheduler, TaskGraph graph) {
        return new Engine() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Outcome run() {
                long start = System.nanoTime();
                Object root = scheduler.compute(graph, "root");
                return new Outcome((System.nanoTime() - start) / 1e9, root);
            }
        };
    }

    static List<Engine> engines(Weft weft, TaskGraph graph, int threads) {
        return List.of(engine("SynchronousScheduler", new SynchronousScheduler(), graph),
                engine("ThreadPoolScheduler(" + threads + ")", new ThreadPoolScheduler(threads), graph),
                engine("WeftScheduler", new WeftScheduler(weft), graph));
    }
}
