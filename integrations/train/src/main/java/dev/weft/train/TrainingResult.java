package dev.weft.train;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@link XGBoostTrainer#fit()} returns: the final model as a {@link Checkpoint}, the evaluation metrics of
 * every round the last attempt ran (from {@code firstRound}; keys such as {@code train-logloss} or
 * {@code valid-auc}, computed by XGBoost over all workers' rows), how many workers trained on how many rows, how
 * many times the group was restarted after a worker died, and where the time went.
 */
public record TrainingResult(Checkpoint checkpoint, int firstRound, List<Map<String, Double>> metrics,
                             int numWorkers, List<Integer> rowsPerWorker, int restarts, Duration readTime,
                             Duration trainTime, Duration totalTime) {
    public TrainingResult {
        metrics = metrics.stream().map(Map::copyOf).toList();
        rowsPerWorker = List.copyOf(rowsPerWorker);
    }

    /** Training rows over all workers. */
    public long rows() {
        return rowsPerWorker.stream().mapToLong(Integer::longValue).sum();
    }

    /** One metric's value in each round, from {@link #firstRound()}; fails naming the metrics there are. */
    public double[] metric(String name) {
        if (metrics.isEmpty() || !metrics.getFirst().containsKey(name)) {
            throw new IllegalArgumentException("no metric '" + name + "'; metrics: "
                    + (metrics.isEmpty() ? "none (no round ran)" : metrics.getFirst().keySet()));
        }
        return metrics.stream().mapToDouble(m -> m.get(name)).toArray();
    }

    /** The metrics of the last round (empty when no round ran). */
    public Map<String, Double> lastMetrics() {
        return metrics.isEmpty() ? Map.of() : metrics.getLast();
    }
}
