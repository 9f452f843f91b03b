package dev.weft.data.internal.exec;

import dev.weft.data.WriteResult;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What a task of a map-like operator returns to the executor: the blocks it stored (or what it wrote), its
 * times and counters. The executor owns the block refs from here on.
 */
public record TaskResult(List<BlockRef> blocks, WriteResult write, long rows, long bytes, long cpuNanos,
                         long wallNanos, Map<String, Long> counters, Map<String, String> skippedFiles)
        implements Serializable {
    public TaskResult {
        blocks = List.copyOf(blocks);
        counters = Map.copyOf(counters);
        skippedFiles = Map.copyOf(skippedFiles);
    }
}
