package dev.weft.data;

import java.util.List;
import java.util.Locale;

/**
 * Statistics of a dataset's last execution, per physical operator (source first): the streaming parts that fed its
 * exchanges, each exchange (its wall time, output rows, bytes and blocks), and the last streaming part, with the
 * peak object store use the executors observed and the wall time of the whole. Immutable; {@link #toString()} is a
 * table for people.
 *
 * @param peakStoreBytes    the highest object store use (all nodes, above its use at the start) sampled while it ran
 * @param budgetBytes       the global in-flight byte budget the execution ran under
 * @param peakInFlightBytes the most bytes the executor counted in flight at once (queued and consumer-held blocks,
 *                          blocks held by running tasks, estimated outputs of running tasks)
 */
public record DatasetStats(List<OperatorStats> operators, long wallNanos, long peakStoreBytes, long budgetBytes,
                           long peakInFlightBytes) {
    public static final DatasetStats NOT_EXECUTED = new DatasetStats(List.of(), 0, 0, 0, 0);

    public DatasetStats {
        operators = List.copyOf(operators);
    }

    /** The stats of the operator whose name contains {@code part}. */
    public OperatorStats operator(String part) {
        return operators.stream().filter(o -> o.name().contains(part)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no operator named like '" + part + "'; operators: "
                        + operators.stream().map(OperatorStats::name).toList()));
    }

    @Override
    public String toString() {
        if (operators.isEmpty()) {
            return "Dataset not executed yet";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Execution: %.3f s wall, peak object store %s, peak in flight %s, budget %s%n",
                wallNanos / 1e9, human(peakStoreBytes), human(peakInFlightBytes), human(budgetBytes)));
        for (OperatorStats o : operators) {
            sb.append(String.format(Locale.ROOT,
                    "  %s: %d tasks, %d blocks, %d rows, %s; wall %.3f s, cpu %.3f s; spilled %s%s%s%n",
                    o.name(), o.tasks(), o.blocks(), o.rows(), human(o.bytes()), o.wallNanos() / 1e9,
                    o.cpuNanos() / 1e9, human(o.spilledBytes()), o.peakActors() > 0 ? "; peak actors " + o.peakActors() : "",
                    o.counters().isEmpty() ? "" : "; " + o.counters()));
        }
        return sb.toString();
    }

    private static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024L * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
