package dev.weft.data.internal.exec;

import dev.weft.data.DataContext;
import dev.weft.data.Datasink;
import java.io.Serializable;
import java.util.List;

/**
 * What a task of a map-like operator runs: the fused stages, then either storing blocks or writing to
 * {@code sink} (under {@code jobId}). Immutable; travels with every task.
 */
public record TaskPlan(String operator, List<Stage> stages, Datasink sink, String jobId, DataContext context)
        implements Serializable {
    public TaskPlan {
        stages = List.copyOf(stages);
    }
}
