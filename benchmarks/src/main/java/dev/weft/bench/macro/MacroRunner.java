package dev.weft.bench.macro;

import dev.weft.bench.data.BenchDataset;
import dev.weft.bench.data.DataGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the macro workloads of {@code BENCHMARKS.md} on Weft (in this JVM), Apache Spark {@code local[2]} (its own
 * JVM), DuckDB with 2 threads (its own JVM, through JDBC) and plain single-threaded Java (this JVM): per workload one
 * warm-up and N timed runs per engine, engines alternating (A B C A B C …); a run during which other processes used more than a threshold of the machine's CPU
 * is discarded and redone; every run's check values must agree across engines or the workload fails. Writes JSON
 * under the results directory and a markdown table into the documentation page.
 */
@Command(name = "macro-runner", mixinStandardHelpOptions = true,
        description = "Weft vs Spark local[2] and DuckDB macro benchmarks (BENCHMARKS.md).")
public final class MacroRunner implements Callable<Integer> {

    @Option(names = "--data", defaultValue = "benchmarks/data",
            description = "Data root; datasets live in <data>/scale-<S>/ (default ${DEFAULT-VALUE}).")
    Path dataRoot;

    @Option(names = "--scale", defaultValue = "1.0", description = "Fraction of rows (default ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--workloads", split = ",", description = "Workloads to run (default all): ${COMPLETION-CANDIDATES}.")
    List<Workload> workloads = List.of(Workload.values());

    @Option(names = "--engines", split = ",", defaultValue = "weft,spark,java",
            description = "Engines, in alternation order (default ${DEFAULT-VALUE}).")
    List<String> engineNames;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs per engine (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmups", defaultValue = "1", description = "Warm-up runs per engine (default ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--noise-threshold", defaultValue = "0.25",
            description = "Redo a timed run if other processes used more than this share of all cores (default ${DEFAULT-VALUE}).")
    double noiseThreshold;

    @Option(names = "--max-redos", defaultValue = "3",
            description = "Redos per timed run before keeping it flagged as noisy (default ${DEFAULT-VALUE}).")
    int maxRedos;

    @Option(names = "--spark-java", description = "java executable for the Spark JVM (default: this JVM's).")
    Path sparkJava;

    @Option(names = "--spark-peer", defaultValue = "benchmarks/spark-peer",
            description = "The built Spark peer project (default ${DEFAULT-VALUE}).")
    Path sparkPeer;

    @Option(names = "--spark-heap", defaultValue = "4g", description = "Spark JVM -Xmx (default ${DEFAULT-VALUE}).")
    String sparkHeap;

    @Option(names = "--duckdb-peer", defaultValue = "benchmarks/duckdb-peer",
            description = "The built DuckDB peer project (default ${DEFAULT-VALUE}).")
    Path duckDbPeer;

    @Option(names = "--duckdb-threads", defaultValue = "2",
            description = "DuckDB's threads setting (default ${DEFAULT-VALUE}).")
    int duckDbThreads;

    @Option(names = "--duckdb-memory", defaultValue = "4GB",
            description = "DuckDB's memory_limit (default ${DEFAULT-VALUE}, as Spark's heap).")
    String duckDbMemory;

    @Option(names = "--weft-store", defaultValue = "2g",
            description = "Weft's object store capacity (default ${DEFAULT-VALUE}).")
    String weftStore;

    @Option(names = "--results", defaultValue = "benchmarks/results", description = "JSON output directory.")
    Path resultsDir;

    @Option(names = "--doc", defaultValue = "docs/macro-benchmarks.md", description = "Markdown page to update.")
    Path doc;

    @Option(names = "--doc-section", defaultValue = "main",
            description = "Name of the results section of the page to replace (default ${DEFAULT-VALUE}).")
    String docSection;

    @Option(names = "--no-doc", description = "Do not update the markdown page.")
    boolean noDoc;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MacroRunner()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || warmups < 0 || maxRedos < 0 || !(noiseThreshold > 0)) {
            throw new IllegalArgumentException("need runs >= 1, warmups >= 0, max-redos >= 0, noise-threshold > 0; got "
                    + runs + ", " + warmups + ", " + maxRedos + ", " + noiseThreshold);
        }
        Path data = dataRoot.resolve("scale-" + scale);
        DataGenerator.ensure(data, scale, datasetsFor(workloads), 2);
        Path work = data.resolve("work");
        Files.createDirectories(work);
        String started = Instant.now().toString();
        List<Engine> engines = openEngines(data);
        List<WorkloadOutcome> outcomes = new ArrayList<>();
        try {
            // The plain Java engine runs in this JVM next to the embedded Weft engine, and its code retrains the JIT
            // on library classes both use (parquet-mr, java.lang): with its oracle runs interleaved, Weft's W1b took
            // 2.6 s instead of 1.5 s. So its oracle runs come after every timed run, and W4M (where it is the timed
            // baseline) runs last.
            List<Workload> order = new ArrayList<>(workloads);
            if (order.remove(Workload.W4M)) {
                order.add(Workload.W4M);
            }
            for (Workload w : order) {
                outcomes.add(runWorkload(w, engines, data, work));
            }
            for (WorkloadOutcome o : outcomes) {
                runOracle(o, engines, data, work);
            }
        } finally {
            for (Engine e : engines) {
                try {
                    e.close();
                } catch (Exception ex) {
                    System.err.println("macro: closing " + e.name() + " failed: " + ex);
                }
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("started", started);
        report.put("finished", Instant.now().toString());
        report.put("scale", scale);
        Map<String, Object> rows = new LinkedHashMap<>();
        for (BenchDataset d : BenchDataset.values()) {
            rows.put(d.dirName(), d.totalRows(scale));
        }
        report.put("rows", rows);
        report.put("machine", MachineInfo.describe());
        Map<String, Object> engineInfo = new LinkedHashMap<>();
        for (Engine e : engines) {
            engineInfo.put(e.name(), e.info());
        }
        report.put("engines", engineInfo);
        report.put("settings", Map.of("warmups", warmups, "runs", runs, "noiseThreshold", noiseThreshold,
                "maxRedos", maxRedos, "checkTolerance", Checks.RELATIVE_TOLERANCE));
        report.put("workloads", outcomes);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path json = resultsDir.resolve("macro-" + stamp + "-scale-" + scale + ".json");
        MacroReport.writeJson(json, report);
        System.err.println("macro: wrote " + json);
        String header = header(scale, json, engines);
        System.out.println(header + "\n\n" + MacroReport.table(outcomes));
        if (!noDoc) {
            MacroReport.writeMarkdown(doc, docSection, header, outcomes);
            System.err.println("macro: updated " + doc);
        }
        long failed = outcomes.stream().filter(WorkloadOutcome::isFailed).count();
        if (failed > 0) {
            System.err.println("macro: " + failed + " workload(s) FAILED (check mismatch or engine error); see above");
            return 1;
        }
        return 0;
    }

    private static EnumSet<BenchDataset> datasetsFor(List<Workload> workloads) {
        EnumSet<BenchDataset> sets = EnumSet.noneOf(BenchDataset.class);
        for (Workload w : workloads) {
            switch (w) {
                case W3 -> sets.add(BenchDataset.SORTIN);
                case W4M -> sets.add(BenchDataset.EVENTS_1M);
                case W5 -> {
                    sets.add(BenchDataset.EVENTS);
                    sets.add(BenchDataset.DIM);
                }
                default -> sets.add(BenchDataset.EVENTS);
            }
        }
        return sets;
    }

    private List<Engine> openEngines(Path data) throws IOException {
        List<Engine> engines = new ArrayList<>();
        for (String name : engineNames) {
            switch (name) {
                case "weft" -> engines.add(new WeftEngine(parseBytes(weftStore)));
                case "java" -> engines.add(new PlainJavaEngine());
                case "spark" -> {
                    Path java = sparkJava != null ? sparkJava
                            : Path.of(ProcessHandle.current().info().command().orElse("java"));
                    engines.add(new SparkEngine(java, sparkPeer, sparkHeap,
                            sparkPeer.resolve("target/spark-peer.log")));
                }
                case "duckdb" -> engines.add(new DuckDbEngine(
                        Path.of(ProcessHandle.current().info().command().orElse("java")), duckDbPeer, duckDbThreads,
                        duckDbMemory, duckDbPeer.resolve("target/duckdb-peer.log")));
                default -> throw new IllegalArgumentException(
                        "unknown engine '" + name + "' (weft, spark, duckdb, java)");
            }
        }
        return engines;
    }

    private WorkloadOutcome runWorkload(Workload w, List<Engine> engines, Path data, Path work) throws IOException {
        WorkloadOutcome outcome = new WorkloadOutcome(w);
        List<Engine> active = new ArrayList<>();
        for (Engine e : engines) {
            String reason = e.unavailable(w).orElse(null);
            outcome.getEngines().put(e.name(), new EngineOutcome(e.name(), reason));
            if (reason == null) {
                active.add(e);
            } else if (!"java".equals(e.name())) {
                System.err.printf("macro: %s not available in %s: %s%n", w, e.name(), reason);
            }
        }
        if (w == Workload.W3) {
            // The sorted outputs are checked against the input itself, so the check holds even with one engine.
            outcome.expect("input", SortedOutputVerifier.summarizeInput(data.resolve("sortin")));
        }
        List<Long> pids = engines.stream().map(Engine::pid).distinct().toList();
        for (int round = warmups > 0 ? 0 : 1; round <= runs; round++) {
            for (Engine e : active) {
                EngineOutcome eo = outcome.getEngines().get(e.name());
                if (!eo.ran() || !takesPart(e, w, round)) {
                    continue;
                }
                try {
                    eo.add(runOnce(w, e, round, data, work, pids, outcome));
                } catch (Exception ex) {
                    String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
                    eo.fail(msg);
                    System.err.printf("macro: %s on %s FAILED in round %d: %s%n", w, e.name(), round, msg);
                }
            }
        }
        for (String m : outcome.getMismatches()) {
            System.err.println("macro: CHECK MISMATCH " + w + ": " + m);
        }
        return outcome;
    }

    /**
     * Plain Java is timed like the engines only where it is the baseline (W4M); elsewhere it is the check oracle
     * and runs once (round 1), which keeps a full-scale run of every workload near a quarter of an hour.
     */
    private static boolean takesPart(Engine e, Workload w, int round) {
        return !(e instanceof PlainJavaEngine) || w == Workload.W4M;
    }

    /** The plain Java engine's one untimed run of a workload where it is only the check oracle. */
    private void runOracle(WorkloadOutcome outcome, List<Engine> engines, Path data, Path work) {
        Workload w = Workload.valueOf(outcome.getWorkload());
        if (w == Workload.W4M) {
            return;
        }
        for (Engine e : engines) {
            EngineOutcome eo = outcome.getEngines().get(e.name());
            if (!(e instanceof PlainJavaEngine) || eo == null || !eo.ran()) {
                continue;
            }
            List<Long> pids = engines.stream().map(Engine::pid).distinct().toList();
            try {
                eo.add(runOnce(w, e, 1, data, work, pids, outcome));
            } catch (Exception ex) {
                String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
                eo.fail(msg);
                System.err.printf("macro: %s on %s FAILED: %s%n", w, e.name(), msg);
            }
            for (String m : outcome.getMismatches()) {
                System.err.println("macro: CHECK MISMATCH " + w + ": " + m);
            }
        }
    }

    private RunRecord runOnce(Workload w, Engine e, int round, Path data, Path work, List<Long> pids,
            WorkloadOutcome outcome) throws Exception {
        boolean measure = round > 0 && CpuSample.supported();
        for (int attempt = 0; ; attempt++) {
            Path out = work.resolve(w.name().toLowerCase() + "-" + e.name() + "-out");
            deleteTree(out);
            CpuSample before = CpuSample.supported() ? CpuSample.read(pids) : null;
            long t0 = System.nanoTime();
            EngineRun run = e.run(w, data, out);
            long wall = System.nanoTime() - t0;
            CpuSample after = before == null ? null : CpuSample.read(pids);
            double others = after == null ? 0 : after.othersShareSince(before);
            double own = after == null ? 0 : after.ownShareSince(before);
            double steal = after == null ? 0 : after.stealShareSince(before);
            double cpuSeconds = after == null ? 0 : after.ownCpuSecondsSince(before);
            Map<String, Object> checks = run.checks();
            Map<String, Object> details = new LinkedHashMap<>(run.details());
            if (w.writesOutput()) {
                checks = SortedOutputVerifier.verifyOutput(out);
                details.put("files", SortedOutputVerifier.fileCount(out));
                deleteTree(out);
            }
            List<String> diffs = outcome.check(e.name(), round, checks);
            System.err.printf("macro: %-4s %-5s %s %.3f s (others %.0f%%, own %.0f%%, steal %.0f%% of the machine)%s%n",
                    w, e.name(), round == 0 ? "warm-up" : "run " + round, run.nanos() / 1e9, others * 100, own * 100,
                    steal * 100, diffs.isEmpty() ? "" : "  CHECK MISMATCH");
            boolean noisy = measure && others > noiseThreshold;
            if (noisy && attempt < maxRedos) {
                System.err.printf("macro: %s %s run %d: others used %.0f%% of the CPU, redoing%n", w, e.name(), round,
                        others * 100);
                continue;
            }
            return new RunRecord(round, run.nanos(), wall, others, own, cpuSeconds, steal, attempt, noisy, details);
        }
    }

    static long parseBytes(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        long unit = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        try {
            return Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--weft-store must be bytes with an optional k/m/g suffix, got '" + s + "'");
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    private String header(double scale, Path json, List<Engine> engines) {
        Map<String, Object> m = MachineInfo.describe();
        StringBuilder sb = new StringBuilder();
        sb.append(MacroReport.fmt("**Scale %s** (events %,d rows, sortin %,d rows, events1m %,d rows) — %s UTC. ",
                scale, BenchDataset.EVENTS.totalRows(scale), BenchDataset.SORTIN.totalRows(scale),
                BenchDataset.EVENTS_1M.totalRows(scale),
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC).format(Instant.now())));
        sb.append("Machine: ").append(m.get("cores")).append(" cores (").append(m.get("cpu")).append("), ")
                .append(m.get("memory")).append(". ");
        for (Engine e : engines) {
            Map<String, Object> info = e.info();
            sb.append(e.name()).append(": ").append(info.get("engine")).append(", JDK ").append(info.get("java"))
                    .append(", ").append(info.get("process")).append(". ");
        }
        sb.append(MacroReport.fmt("%d warm-up + %d timed runs per engine, alternating; redo threshold %.0f%% of the "
                + "CPU used by other processes. Raw: `%s`.", warmups, runs, noiseThreshold * 100,
                json.getFileName()));
        return sb.toString();
    }
}
