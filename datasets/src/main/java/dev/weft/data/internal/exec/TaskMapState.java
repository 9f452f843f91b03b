package dev.weft.data.internal.exec;

import dev.weft.api.ObjectRef;
import dev.weft.data.internal.plan.PhysicalOp;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** A map operator on stateless tasks: one task per bundle of input blocks, bounded by the operator's budget. */
final class TaskMapState extends OperatorState {
    private final PhysicalOp.MapOp map;
    private final TaskPlan plan;
    private final long bundleRows;

    TaskMapState(int index, PhysicalOp.MapOp map, StreamingExecutor exec) {
        super(index, map, exec);
        this.map = map;
        this.plan = new TaskPlan(name, map.stages(), map.sink(), exec.jobId(), exec.context());
        this.bundleRows = bundleRows(map.stages());
    }

    static long bundleRows(List<Stage> stages) {
        for (Stage s : stages) {
            if (s instanceof MapBatchesStage m) {
                return Math.max(1, m.batchSize());
            }
        }
        return 1;
    }

    static List<String> files(List<BlockRef> bundle) {
        LinkedHashSet<String> files = new LinkedHashSet<>();
        bundle.forEach(b -> files.addAll(b.inputFiles()));
        return new ArrayList<>(files);
    }

    @Override
    boolean tryLaunch() {
        int limit = map.compute().concurrency() > 0 ? map.compute().concurrency() : exec.maxTasksPerOperator();
        if (cancelled || input.isEmpty() || running.size() >= limit || !exec.admitOperator(this)) {
            return false;
        }
        List<BlockRef> bundle = takeBundle(bundleRows, exec.context().targetMaxBlockSizeBytes());
        if (bundle == null) {
            return false;
        }
        long inBytes = bundle.stream().mapToLong(BlockRef::sizeBytes).sum();
        int taskIndex = nextTaskIndex++;
        ObjectRef<TaskResult> ref = exec.weft().task(TaskRunner::runMap, bundle, plan, taskIndex)
                .numCpus(map.compute().numCpus()).numGpus(map.compute().numGpus())
                .name(name + "#" + taskIndex).remote();
        launched(new Running(ref, bundle, inBytes, estimateOutput(inBytes), taskIndex, files(bundle), null));
        return true;
    }

    @Override
    double taskCpus() {
        return map.compute().numCpus();
    }
}
