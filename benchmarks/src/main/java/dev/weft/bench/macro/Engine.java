package dev.weft.bench.macro;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * An engine the macro runner times. Implementations run one workload at a time from the runner's thread; they
 * are not thread-safe. The runner closes each engine once at the end.
 */
interface Engine extends AutoCloseable {

    /** Short name used in results: {@code weft}, {@code spark}, {@code java}. */
    String name();

    /** Versions, JVM and process layout of this engine, for the results' machine line. */
    Map<String, Object> info();

    /** Empty if the engine implements the workload, otherwise why not (reported as "not available"). */
    Optional<String> unavailable(Workload workload);

    /**
     * Runs the workload once over the datasets under {@code data}.
     *
     * @param out a fresh, non-existent directory for workloads that write output
     */
    EngineRun run(Workload workload, Path data, Path out) throws Exception;

    /** The operating-system process whose CPU time belongs to this engine (for the noise check). */
    long pid();

    @Override
    void close() throws Exception;
}
