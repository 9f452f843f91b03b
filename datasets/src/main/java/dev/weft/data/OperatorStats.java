package dev.weft.data;

import java.util.Map;

/**
 * What one physical operator did in one execution.
 *
 * @param wallNanos     from the operator's first task launch to its last task's end
 * @param cpuNanos      CPU time of its tasks, summed (wall time of a task where the JVM cannot measure CPU time)
 * @param rows          rows it produced
 * @param bytes         bytes it produced (Arrow in-memory size)
 * @param blocks        blocks it produced
 * @param tasks         tasks (or actor calls) it ran
 * @param spilledBytes  bytes of its blocks the object store reported spilled; 0 when the runtime does not report it
 * @param peakActors    the largest size its actor pool reached (0 for task operators)
 * @param counters      source and sink counters ({@code bytesRead}, {@code rowGroupsSkipped}, {@code corruptFilesSkipped}, ...)
 */
public record OperatorStats(String name, long wallNanos, long cpuNanos, long rows, long bytes, long blocks, long tasks,
                            long spilledBytes, int peakActors, Map<String, Long> counters) {
    public OperatorStats {
        counters = Map.copyOf(counters);
    }

    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }
}
