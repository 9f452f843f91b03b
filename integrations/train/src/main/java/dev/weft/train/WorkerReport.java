package dev.weft.train;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What one worker did in a training run: its rows, how long reading its shard and training took, the evaluation
 * metrics of each round it ran (the same on every rank: XGBoost reduces them across workers), and, from rank 0,
 * the final model.
 */
record WorkerReport(int rank, int rows, long readNanos, long trainNanos, int firstRound,
                    List<Map<String, Double>> metrics, Checkpoint model) implements Serializable {
    WorkerReport {
        metrics = List.copyOf(metrics);
    }
}
