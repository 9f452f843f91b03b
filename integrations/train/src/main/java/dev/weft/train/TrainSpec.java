package dev.weft.train;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What every worker of one training run needs to know, shipped to each (immutable, serializable);
 * {@code checkpointSink} is the {@code host:port} of the driver's {@link CheckpointSink}.
 */
record TrainSpec(Map<String, Object> params, int numRounds, String label, List<String> features, int checkpointEvery,
                 String checkpointSink, int timeoutSeconds) implements Serializable {
    TrainSpec {
        params = Map.copyOf(params);
        features = List.copyOf(features);
    }
}
