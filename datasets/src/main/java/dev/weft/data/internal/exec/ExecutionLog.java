package dev.weft.data.internal.exec;

import dev.weft.data.DatasetStats;
import dev.weft.data.OperatorStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one execution of a plan ran before its last streaming part: the streaming executions that fed its
 * exchanges and barriers, and the exchanges themselves, in the order they ended. {@link #with} joins them to the last
 * part's statistics, so {@code stats()} shows every stage of the execution and its whole wall time. Thread-safe.
 */
final class ExecutionLog {
    private final long startNanos = System.nanoTime();
    private final List<DatasetStats> parts = new ArrayList<>();
    private final List<OperatorStats> operators = new ArrayList<>();

    synchronized void add(DatasetStats part) {
        parts.add(part);
        operators.addAll(part.operators());
    }

    /** An exchange that ran from {@code startNanos} until now and produced {@code output}. */
    synchronized void exchange(Exchange exchange, long startNanos, List<BlockRef> output) {
        long rows = 0;
        long bytes = 0;
        for (BlockRef b : output) {
            rows += b.numRows();
            bytes += b.sizeBytes();
        }
        operators.add(new OperatorStats(exchange.explain(), System.nanoTime() - startNanos, 0, rows, bytes,
                output.size(), 0, 0, 0, Map.of()));
    }

    /** The whole execution, {@code last} being its final streaming part (which just ended). */
    synchronized DatasetStats with(DatasetStats last) {
        if (operators.isEmpty()) {
            return last;
        }
        List<OperatorStats> all = new ArrayList<>(operators);
        all.addAll(last.operators());
        long peakStore = last.peakStoreBytes();
        long budget = last.budgetBytes();
        long peakInFlight = last.peakInFlightBytes();
        for (DatasetStats p : parts) {
            peakStore = Math.max(peakStore, p.peakStoreBytes());
            budget = Math.max(budget, p.budgetBytes());
            peakInFlight = Math.max(peakInFlight, p.peakInFlightBytes());
        }
        return new DatasetStats(all, System.nanoTime() - startNanos, peakStore, budget, peakInFlight);
    }
}
