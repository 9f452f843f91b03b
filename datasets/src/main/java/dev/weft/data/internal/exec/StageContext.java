package dev.weft.data.internal.exec;

import dev.weft.data.BatchFunction;
import dev.weft.data.DataContext;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;

/**
 * What stages see while a task runs: where to allocate, the settings, which operator and task this is (for
 * error messages), the input files, and the UDF instances an actor built once for its lifetime.
 */
public record StageContext(BufferAllocator allocator, DataContext dataContext, String operator, int taskIndex,
                           List<String> inputFiles, Map<Integer, BatchFunction> udfs) {
}
