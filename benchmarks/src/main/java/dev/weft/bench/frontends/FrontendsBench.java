package dev.weft.bench.frontends;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weft.api.Weft;
import dev.weft.executor.WeftExecutorService;
import dev.weft.gang.WorkerGroup;
import dev.weft.taskgraph.TaskGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The frontends' benchmarks of issue 18, each beside its baseline in the same run: WeftExecutorService vs
 * ThreadPoolExecutor (100,000 tiny callables; a CPU-heavy batch), a TaskGraph of 100,000 small tasks (leaves plus
 * a pairwise reduction tree) on each scheduler, and a ring all-reduce of 100 MiB across 4 WorkerGroup members vs a
 * plain socket copy of the same bytes. Engines alternate (A B A B ...), 1 warm-up then {@code --runs} timed runs
 * each; every run's check value must agree. Prints a table and writes {@code benchmarks/results/frontends-*.json}.
 *
 * <p>Options: {@code --shapes executor,executor-cpu,graph,allreduce} {@code --runs 3} {@code --tiny 100000}
 * {@code --leaves 50000} {@code --mib 100} {@code --members 4} {@code --out DIR}; {@code --dask PYTHON} adds Dask's
 * synchronous, threaded and distributed (threads, processes) schedulers to the graph shape, run by
 * {@code benchmarks/dask-peer/graph_bench.py} ({@code --dask-script}) with that Python.
 */
public final class FrontendsBench {
    private FrontendsBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        List<String> shapes = List.of(opt.getOrDefault("shapes", "executor,executor-cpu,graph,allreduce").split(","));
        int runs = Integer.parseInt(opt.getOrDefault("runs", "3"));
        int cores = Runtime.getRuntime().availableProcessors();
        List<Map<String, Object>> report = new ArrayList<>();
        try (Weft weft = Weft.init()) {
            if (shapes.contains("executor")) {
                int n = Integer.parseInt(opt.getOrDefault("tiny", "100000"));
                List<ExecutorShapes.Tiny> tasks = ExecutorShapes.tiny(n);
                ExecutorService tpe = Executors.newFixedThreadPool(cores);
                try (WeftExecutorService wes = ExecutorShapes.weft(weft)) {
                    report.add(measure("executor: " + n + " tiny Callables", n, runs, List.of(
                            ExecutorShapes.engine("ThreadPoolExecutor(" + cores + ")", tpe, tasks),
                            ExecutorShapes.engine("WeftExecutorService", wes, tasks))));
                } finally {
                    tpe.shutdownNow();
                }
            }
            if (shapes.contains("executor-cpu")) {
                int n = 8 * cores;
                List<ExecutorShapes.Burn> tasks = ExecutorShapes.burn(n, 40_000_000);
                ExecutorService tpe = Executors.newFixedThreadPool(cores);
                try (WeftExecutorService wes = ExecutorShapes.weft(weft)) {
                    report.add(measure("executor: CPU-heavy batch of " + n + " tasks", n, runs, List.of(
                            ExecutorShapes.engine("ThreadPoolExecutor(" + cores + ")", tpe, tasks),
                            ExecutorShapes.engine("WeftExecutorService", wes, tasks))));
                } finally {
                    tpe.shutdownNow();
                }
            }
            if (shapes.contains("graph")) {
                int leaves = Integer.parseInt(opt.getOrDefault("leaves", "50000"));
                TaskGraph g = GraphShapes.tree(leaves);
                List<Engine> engines = new ArrayList<>(GraphShapes.engines(weft, g, cores));
                if (opt.containsKey("dask")) {
                    String script = opt.getOrDefault("dask-script", "benchmarks/dask-peer/graph_bench.py");
                    for (String s : List.of("sync", "threads", "distributed-threads", "distributed-processes")) {
                        engines.add(new DaskEngine(opt.get("dask"), script, s, leaves, cores));
                    }
                }
                report.add(measure("task graph: " + leaves + " leaves + pairwise reduction tree, " + g.size()
                        + " tasks", g.size(), runs, engines));
            }
            if (shapes.contains("allreduce")) {
                int mib = Integer.parseInt(opt.getOrDefault("mib", "100"));
                int members = Integer.parseInt(opt.getOrDefault("members", "4"));
                int doubles = (int) ((long) mib << 20) / 8;
                try (WorkerGroup<Void> group = AllReduceShapes.group(weft, members)) {
                    Map<String, Object> r = measure("all-reduce of " + mib + " MiB across " + members
                            + " members", 0, runs, List.of(AllReduceShapes.socketCopy(doubles),
                            AllReduceShapes.ring(group, doubles)));
                    bandwidths(r, (long) mib << 20, members);
                    report.add(r);
                }
            }
        }
        write(report, opt.getOrDefault("out", "benchmarks/results"));
    }

    /** Warm-up, then alternating timed runs; fails when the engines disagree on the check value. */
    static Map<String, Object> measure(String shape, int tasks, int runs, List<Engine> engines) throws Exception {
        System.out.println("== " + shape);
        Object check = null;
        List<Series> series = new ArrayList<>();
        for (Engine e : engines) {
            Engine.Outcome o = e.run();
            System.out.printf("  warm-up %-28s %8.3f s  check %s%n", e.name(), o.seconds(), o.check());
            check = agree(shape, check, o.check(), e.name());
            series.add(new Series(e.name()));
        }
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < engines.size(); i++) {
                System.gc();
                MachineLoad before = MachineLoad.now();
                Engine.Outcome o = engines.get(i).run();
                double others = MachineLoad.now().othersShareSince(before);
                check = agree(shape, check, o.check(), engines.get(i).name());
                series.get(i).add(o.seconds(), others);
                System.out.printf("  run %d   %-28s %8.3f s  (other processes used %.0f %% of the CPU)%n", r + 1,
                        engines.get(i).name(), o.seconds(), others * 100);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("shape", shape);
        out.put("tasks", tasks);
        out.put("check", String.valueOf(check));
        List<Map<String, Object>> rows = new ArrayList<>();
        double baseline = series.getFirst().median();
        for (Series s : series) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("engine", s.engine);
            row.put("seconds", s.seconds);
            row.put("medianSeconds", s.median());
            row.put("minSeconds", s.min());
            row.put("maxSeconds", s.max());
            row.put("othersCpuShare", s.othersCpuShare);
            row.put("ratioToFirst", s.median() / baseline);
            if (tasks > 0) {
                row.put("microsPerTask", s.median() * 1e6 / tasks);
                row.put("microsPerTaskMin", s.min() * 1e6 / tasks);
                row.put("microsPerTaskMax", s.max() * 1e6 / tasks);
            }
            rows.add(row);
            System.out.printf("  %-28s median %8.3f s (%.3f .. %.3f)%s  x%.2f of %s%n", s.engine, s.median(), s.min(),
                    s.max(), tasks > 0 ? String.format("  %.2f us/task (%.2f .. %.2f)", s.median() * 1e6 / tasks,
                            s.min() * 1e6 / tasks, s.max() * 1e6 / tasks) : "", s.median() / baseline,
                    series.getFirst().engine);
        }
        out.put("engines", rows);
        return out;
    }

    /** Adds the socket copy's GB/s and the all-reduce's algorithm and bus bandwidths (NCCL's definitions). */
    @SuppressWarnings("unchecked")
    static void bandwidths(Map<String, Object> r, long bytes, int members) {
        List<Map<String, Object>> rows = (List<Map<String, Object>>) r.get("engines");
        double copy = bytes / (double) rows.get(0).get("medianSeconds") / 1e9;
        double ring = (double) rows.get(1).get("medianSeconds");
        double alg = bytes / ring / 1e9;
        double bus = alg * 2.0 * (members - 1) / members;
        r.put("socketCopyGBps", copy);
        r.put("allReduceAlgGBps", alg);
        r.put("allReduceBusGBps", bus);
        r.put("busToSocket", bus / copy);
        System.out.printf("  socket copy %.2f GB/s; all-reduce algbw %.2f GB/s, busbw %.2f GB/s = %.0f %% of the copy%n",
                copy, alg, bus, 100 * bus / copy);
    }

    private static Object agree(String shape, Object expected, Object actual, String engine) {
        if (expected != null && !Objects.equals(expected, actual)) {
            throw new IllegalStateException(shape + ": " + engine + " computed " + actual + ", expected " + expected);
        }
        return actual;
    }

    private static void write(List<Map<String, Object>> report, String dir) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("when", Instant.now().toString());
        doc.put("cores", Runtime.getRuntime().availableProcessors());
        doc.put("java", System.getProperty("java.version"));
        doc.put("maxHeap", Runtime.getRuntime().maxMemory());
        doc.put("shapes", report);
        Path out = Path.of(dir, "frontends-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC).format(Instant.now()) + ".json");
        Files.createDirectories(out.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), doc);
        System.out.println("wrote " + out);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }
}
