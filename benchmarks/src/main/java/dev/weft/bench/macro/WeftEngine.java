package dev.weft.bench.macro;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Weft, in the runner's own JVM, through the {@code Dataset} API of module {@code datasets}. A workload whose
 * operators Weft does not have yet is reported as not available, never approximated.
 */
final class WeftEngine implements Engine {

    /** Why no workload runs yet: the branches that bring the API have not delivered it. */
    static final String NO_DATASET_API = "the Dataset API (module datasets: Datasets.readParquet, filter, "
            + "mapBatches, groupBy, sort, join, randomShuffle) is not in this build yet";

    @Override
    public String name() {
        return "weft";
    }

    @Override
    public Map<String, Object> info() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("engine", "Weft Dataset API");
        info.put("process", "in the runner's JVM");
        info.put("java", System.getProperty("java.version"));
        info.put("maxHeap", Runtime.getRuntime().maxMemory());
        return info;
    }

    @Override
    public Optional<String> unavailable(Workload workload) {
        return Optional.of(NO_DATASET_API);
    }

    @Override
    public EngineRun run(Workload workload, Path data, Path out) {
        throw new IllegalStateException("not available in Weft: " + workload + ": " + NO_DATASET_API);
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public void close() {
    }
}
