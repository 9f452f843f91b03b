package dev.weft.bench.macro;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a macro run's results: the full JSON under the results directory, and a markdown table between two marker
 * lines of the documentation page (the rest of the page is left as written).
 */
final class MacroReport {

    private static final String BEGIN = "<!-- macro-results:begin %s (written by dev.weft.bench.macro.MacroRunner) -->";
    private static final String END = "<!-- macro-results:end %s -->";
    /** BENCHMARKS.md's target for every macro workload: Weft/Spark time ratio at most this. */
    static final double TARGET_RATIO = 0.5;
    /** BENCHMARKS.md's target for the workloads in {@link #DUCKDB_TARGETED}: Weft/DuckDB time ratio at most this. */
    static final double DUCKDB_TARGET_RATIO = 1.25;
    /** The workloads judged against DuckDB (the others show the ratio without a verdict). */
    private static final Set<Workload> DUCKDB_TARGETED = EnumSet.of(Workload.W1a, Workload.W2,
            Workload.W3, Workload.W4, Workload.W5, Workload.W6);
    /** Issue 4's target for {@link Workload#DEC}: decode at least as fast per core as Spark's vectorized reader. */
    static final double DECODE_TARGET_RATIO = 1.0;

    private MacroReport() {
    }

    /** The Weft/Spark time ratio a workload must reach. */
    static double target(String workload) {
        return Workload.DEC.name().equals(workload) ? DECODE_TARGET_RATIO : TARGET_RATIO;
    }

    static void writeJson(Path file, Map<String, Object> report) throws IOException {
        Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
    }

    /**
     * Replaces the results section named {@code name} of {@code doc} (appending it, or creating the page, if
     * needed) with a table of {@code outcomes}; other sections are left as they are.
     */
    static void writeMarkdown(Path doc, String name, String header, List<WorkloadOutcome> outcomes)
            throws IOException {
        String begin = BEGIN.formatted(name);
        String end = END.formatted(name);
        String section = begin + "\n" + header + "\n\n" + table(outcomes) + end;
        String page = Files.exists(doc) ? Files.readString(doc) : "# Macro benchmarks\n";
        int b = page.indexOf(begin);
        int e = page.indexOf(end);
        if (b < 0 || e < b) {
            page = page.stripTrailing() + "\n\n" + section + "\n";
        } else {
            page = page.substring(0, b) + section + page.substring(e + end.length());
        }
        Files.createDirectories(doc.toAbsolutePath().getParent());
        Files.writeString(doc, page);
    }

    static String table(List<WorkloadOutcome> outcomes) {
        StringBuilder sb = new StringBuilder();
        sb.append("| workload | Weft median s | Spark median s | DuckDB median s | Weft/Spark (median of pairs)")
                .append(" | target ≤ ").append(TARGET_RATIO)
                .append(" | Weft/DuckDB (median of pairs) | target ≤ ").append(DUCKDB_TARGET_RATIO)
                .append(" | plain Java s (W4M: median; else one run, the check oracle) | checks | redone / noisy runs")
                .append(" |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (WorkloadOutcome o : outcomes) {
            double ratio = o.medianRatio("weft", "spark");
            double duckRatio = o.medianRatio("weft", "duckdb");
            sb.append("| ").append(o.getWorkload())
                    .append(" | ").append(seconds(o.getEngines().get("weft")))
                    .append(" | ").append(seconds(o.getEngines().get("spark")))
                    .append(" | ").append(seconds(o.getEngines().get("duckdb")))
                    .append(" | ").append(Double.isNaN(ratio) ? "—" : fmt("%.2f", ratio))
                    .append(" | ").append(Double.isNaN(ratio) ? "—" : ratio <= target(o.getWorkload()) ? "met"
                            : "**not met**" + (Workload.DEC.name().equals(o.getWorkload()) ? " (target ≤ 1.0 here)" : ""))
                    .append(" | ").append(Double.isNaN(duckRatio) ? "—" : fmt("%.2f", duckRatio))
                    .append(" | ").append(Double.isNaN(duckRatio) || !DUCKDB_TARGETED.contains(o.workload()) ? "—"
                            : duckRatio <= DUCKDB_TARGET_RATIO ? "met" : "**not met**")
                    .append(" | ").append(javaCell(o, o.getEngines().get("java")))
                    .append(" | ").append(checksCell(o))
                    .append(" | ").append(noiseCell(o))
                    .append(" |\n");
        }
        sb.append("\n");
        for (WorkloadOutcome o : outcomes) {
            for (EngineOutcome e : o.getEngines().values()) {
                if (e.getUnavailable() != null && !"java".equals(e.getEngine())) {
                    sb.append("- ").append(o.getWorkload()).append(", ").append(e.getEngine())
                            .append(": not available — ").append(e.getUnavailable()).append("\n");
                }
                if (e.getError() != null) {
                    sb.append("- ").append(o.getWorkload()).append(", ").append(e.getEngine())
                            .append(": **failed** — ").append(firstLine(e.getError())).append("\n");
                }
            }
            for (String m : o.getMismatches().stream().limit(5).toList()) {
                sb.append("- ").append(o.getWorkload()).append(": **check mismatch** — ").append(m).append("\n");
            }
        }
        return sb.toString();
    }

    private static String seconds(EngineOutcome e) {
        if (e == null) {
            return "—";
        }
        if (e.getUnavailable() != null) {
            return "n/a";
        }
        if (e.getError() != null) {
            return "failed";
        }
        return fmt("%.3f", e.getMedianSeconds());
    }

    private static String javaCell(WorkloadOutcome o, EngineOutcome java) {
        if (java == null || !java.ran()) {
            return seconds(java);
        }
        String cell = fmt("%.3f", java.getMedianSeconds());
        if (o.workload() == Workload.W4M) {
            double weftOverJava = o.medianRatio("weft", "java");
            cell += Double.isNaN(weftOverJava) ? " (baseline)" : fmt(" (Weft/Java %.2f, target < 3)", weftOverJava);
            Object agg = java.timed().isEmpty() ? null : java.timed().getFirst().details().get("aggregate_nanos");
            if (agg instanceof Number n) {
                cell += fmt("; hash aggregation alone %.3f", n.doubleValue() / 1e9);
            }
        }
        return cell;
    }

    private static String checksCell(WorkloadOutcome o) {
        if (!o.getMismatches().isEmpty()) {
            return "**MISMATCH**";
        }
        long engines = o.getEngines().values().stream().filter(EngineOutcome::ran).count();
        if (o.getChecks() == null) {
            return "—";
        }
        String from = "input".equals(o.getChecksFrom()) ? " + input" : "";
        return "agree (" + engines + " engine" + (engines == 1 ? "" : "s") + from + ")";
    }

    private static String noiseCell(WorkloadOutcome o) {
        int redone = 0;
        long noisy = 0;
        for (EngineOutcome e : o.getEngines().values()) {
            redone += e.getRedone();
            noisy += e.getNoisyRuns();
        }
        return redone + " / " + noisy;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
