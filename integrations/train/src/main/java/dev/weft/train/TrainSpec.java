package dev.weft.train;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** What every worker of one training run needs to know, shipped to each (immutable, serializable). */
record TrainSpec(Map<String, Object> params, int numRounds, String label, List<String> features, int checkpointEvery,
                 String checkpointDir, int timeoutSeconds) implements Serializable {
    TrainSpec {
        params = Map.copyOf(params);
        features = List.copyOf(features);
    }
}
