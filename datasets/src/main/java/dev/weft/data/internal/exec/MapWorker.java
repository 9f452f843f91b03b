package dev.weft.data.internal.exec;

import dev.weft.data.BatchFunction;
import dev.weft.data.internal.arrow.DataAllocators;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The actor of an actor-pool map operator: builds the operator's UDFs once (that is what actors are for: load
 * a model once), then runs the fused stages on each bundle of blocks it is sent. Calls run one at a time.
 */
public final class MapWorker {
    private final TaskPlan plan;
    private final Map<Integer, BatchFunction> udfs = new HashMap<>();

    public MapWorker(TaskPlan plan) {
        this.plan = plan;
        for (Stage s : plan.stages()) {
            if (s instanceof MapBatchesStage m) {
                udfs.put(m.udfIndex(), m.instantiate(plan.operator()));
            }
        }
    }

    /** Actor method: one bundle of blocks. */
    public TaskResult process(List<BlockRef> inputs, Integer taskIndex) throws Exception {
        try (BufferAllocator allocator = DataAllocators.child(plan.operator() + "-actor-" + taskIndex)) {
            return TaskRunner.runBundle(inputs, plan, taskIndex, allocator, udfs);
        }
    }
}
