package dev.weft.data.internal.exec;

import dev.weft.api.ObjectRef;
import dev.weft.data.internal.plan.PhysicalOp;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

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
        List<BlockRef> bundle = map.sink() != null && upstreamDone
                ? takeBundle(Long.MAX_VALUE, fileBytes(limit))
                : takeBundle(bundleRows, exec.context().targetMaxBlockSizeBytes());
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

    /**
     * Once its whole input is known (the output of a sort or another barrier, or the tail of a stream), a write
     * task takes a run of consecutive blocks and writes them as one file: files of up to
     * {@code targetMaxBlockSizeBytes}, but small enough that every task slot gets about two, so the last ones do
     * not leave a core idle. One file per small block costs a file's fixed work (footer, page indexes, an
     * encoding dictionary tried on its first megabyte) hundreds of times over; consecutive runs keep files in
     * block order, so a sorted dataset's files stay ordered by key range.
     */
    private long fileBytes(int slots) {
        long share = inputQueuedBytes / (2L * Math.max(1, slots));
        return Math.min(exec.context().targetMaxBlockSizeBytes(), Math.max(exec.context().targetMinBlockSizeBytes(), share));
    }

    @Override
    double taskCpus() {
        return map.compute().numCpus();
    }

    @Override
    Map<String, Double> demand() {
        return demandOf(map.compute().numCpus(), map.compute().numGpus());
    }

    @Override
    boolean writesToSink() {
        return plan.sink() != null;
    }
}
