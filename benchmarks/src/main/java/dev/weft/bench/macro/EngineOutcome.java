package dev.weft.bench.macro;

import java.util.ArrayList;
import java.util.List;

/**
 * What one engine did on one workload: its kept runs, or why it did not run (not available, or failed).
 * Mutable while the runner fills it; read only afterwards.
 */
final class EngineOutcome {

    private final String engine;
    private final String unavailable;
    private final List<RunRecord> runs = new ArrayList<>();
    private String error;

    EngineOutcome(String engine, String unavailable) {
        this.engine = engine;
        this.unavailable = unavailable;
    }

    public String getEngine() {
        return engine;
    }

    /** Null if the engine implements the workload, else the reason it does not. */
    public String getUnavailable() {
        return unavailable;
    }

    public String getError() {
        return error;
    }

    void fail(String message) {
        this.error = message;
    }

    boolean ran() {
        return unavailable == null && error == null;
    }

    public List<RunRecord> getRuns() {
        return runs;
    }

    void add(RunRecord run) {
        runs.add(run);
    }

    /** Timed runs only (warm-up excluded), in round order. */
    List<RunRecord> timed() {
        return runs.stream().filter(r -> !r.warmup()).toList();
    }

    /** Median of the timed runs' engine-measured times in seconds, or NaN if none. */
    public double getMedianSeconds() {
        return median(timed().stream().mapToDouble(r -> r.nanos() / 1e9).toArray());
    }

    public int getRedone() {
        return runs.stream().mapToInt(RunRecord::redone).sum();
    }

    public long getNoisyRuns() {
        return runs.stream().filter(RunRecord::noisy).count();
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
