package dev.weft.bench.macro;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One workload's result across engines: each engine's outcome, the agreed check values, any disagreement, and the
 * per-pair time ratios (round i of engine A over round i of engine B, since the rounds alternate).
 */
final class WorkloadOutcome {

    private final Workload workload;
    private final Map<String, EngineOutcome> engines = new LinkedHashMap<>();
    private final List<String> mismatches = new ArrayList<>();
    private Map<String, Object> checks;
    private String checksFrom;

    WorkloadOutcome(Workload workload) {
        this.workload = workload;
    }

    public String getWorkload() {
        return workload.name();
    }

    public String getDefinition() {
        return workload.definition();
    }

    public Map<String, EngineOutcome> getEngines() {
        return engines;
    }

    public Map<String, Object> getChecks() {
        return checks;
    }

    /** Which engine (or "input") the check values were first taken from. */
    public String getChecksFrom() {
        return checksFrom;
    }

    public List<String> getMismatches() {
        return mismatches;
    }

    Workload workload() {
        return workload;
    }

    /**
     * Compares a run's check values with the first ones seen; records and returns the differences, each naming
     * the engine and round.
     */
    List<String> check(String engine, int round, Map<String, Object> values) {
        Map<String, Object> normalized = Checks.normalize(values);
        if (checks == null) {
            checks = normalized;
            checksFrom = engine;
            return List.of();
        }
        List<String> diffs = Checks.differences(checks, normalized).stream()
                .map(d -> "%s round %d vs %s: %s".formatted(engine, round, checksFrom, d))
                .toList();
        mismatches.addAll(diffs);
        return diffs;
    }

    void expect(String source, Map<String, Object> values) {
        checks = Checks.normalize(values);
        checksFrom = source;
    }

    /** Per-round ratios of engine a's time to engine b's, empty unless both ran every timed round. */
    List<Double> pairRatios(String a, String b) {
        EngineOutcome ea = engines.get(a);
        EngineOutcome eb = engines.get(b);
        List<Double> ratios = new ArrayList<>();
        if (ea == null || eb == null || !ea.ran() || !eb.ran()) {
            return ratios;
        }
        List<RunRecord> ta = ea.timed();
        List<RunRecord> tb = eb.timed();
        for (int i = 0; i < Math.min(ta.size(), tb.size()); i++) {
            ratios.add((double) ta.get(i).nanos() / tb.get(i).nanos());
        }
        return ratios;
    }

    /**
     * The ratios reported: weft/spark and weft/duckdb (the targets); for W4M also weft/java and spark/java (the
     * baseline).
     */
    public Map<String, Object> getRatios() {
        Map<String, Object> out = new LinkedHashMap<>();
        String[][] pairs = workload == Workload.W4M
                ? new String[][] {{"weft", "spark"}, {"weft", "duckdb"}, {"weft", "java"}, {"spark", "java"}}
                : new String[][] {{"weft", "spark"}, {"weft", "duckdb"}};
        for (String[] pair : pairs) {
            List<Double> r = pairRatios(pair[0], pair[1]);
            if (!r.isEmpty()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("perPair", r);
                entry.put("median", EngineOutcome.median(r.stream().mapToDouble(Double::doubleValue).toArray()));
                out.put(pair[0] + "/" + pair[1], entry);
            }
        }
        return out;
    }

    /** Median per-pair ratio of a over b, or NaN. */
    double medianRatio(String a, String b) {
        return EngineOutcome.median(pairRatios(a, b).stream().mapToDouble(Double::doubleValue).toArray());
    }

    public boolean isFailed() {
        return !mismatches.isEmpty() || engines.values().stream().anyMatch(e -> e.getError() != null);
    }
}
