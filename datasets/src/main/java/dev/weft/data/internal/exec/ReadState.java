package dev.weft.data.internal.exec;

import dev.weft.api.ObjectRef;
import dev.weft.data.ReadTask;
import dev.weft.data.internal.plan.PhysicalOp;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/** A read operator: one Weft task per read task, launched only while the global byte budget allows. */
final class ReadState extends OperatorState {
    /** The most read tasks asked for to fit the budget (each costs a task launch and at least one block). */
    private static final int MAX_READ_TASKS = 4096;
    private final PhysicalOp.ReadOp read;
    private final ArrayDeque<ReadTask> pending = new ArrayDeque<>();
    private TaskPlan plan;

    ReadState(int index, PhysicalOp.ReadOp read, StreamingExecutor exec) {
        super(index, read, exec);
        this.read = read;
        this.upstreamDone = true;
    }

    @Override
    void start() {
        List<ReadTask> tasks = read.source().getReadTasks(exec.readParallelism(), exec.context());
        if (exec.context().readParallelism() == 0) {
            tasks = withinBudget(tasks);
        }
        pending.addAll(tasks);
        long known = 0;
        for (ReadTask t : tasks) {
            if (t.metadata().numRows().isPresent()) {
                known += t.metadata().numRows().getAsLong();
            } else {
                known = -1;
                break;
            }
        }
        exec.setProgressTotal(index, known);
        plan = new TaskPlan(name, read.stages(), read.sink(), exec.jobId(), exec.context());
    }

    /**
     * With the default parallelism, read tasks small enough that a few fit the byte budget at once: a task whose
     * output alone nears the store's capacity (a small store, a large input) would push its blocks to spill files
     * whatever the budget. Asks the source for more, smaller tasks when its estimates say they are too big.
     */
    private List<ReadTask> withinBudget(List<ReadTask> tasks) {
        long limit = Math.max(exec.context().targetMinBlockSizeBytes(), exec.globalBudget() / 4);
        long total = 0;
        long biggest = 0;
        for (ReadTask t : tasks) {
            if (t.metadata().sizeBytes().isEmpty()) {
                return tasks;
            }
            total += t.metadata().sizeBytes().getAsLong();
            biggest = Math.max(biggest, t.metadata().sizeBytes().getAsLong());
        }
        if (biggest <= limit) {
            return tasks;
        }
        int wanted = (int) Math.min(MAX_READ_TASKS, (total + limit - 1) / limit);
        return wanted > tasks.size() ? read.source().getReadTasks(wanted, exec.context()) : tasks;
    }

    @Override
    boolean hasPendingWork() {
        return !pending.isEmpty();
    }

    @Override
    boolean tryLaunch() {
        if (cancelled || pending.isEmpty() || running.size() >= exec.maxTasksPerOperator()) {
            return false;
        }
        ReadTask task = pending.peek();
        long est = task.metadata().sizeBytes().isPresent() ? task.metadata().sizeBytes().getAsLong()
                : estimateOutput(0);
        if (observedTasks > 0) {
            est = Math.max(est / 4, estimateOutput(0));
        }
        if (!exec.admitSource(this, est)) {
            return false;
        }
        pending.poll();
        int taskIndex = nextTaskIndex++;
        ObjectRef<TaskResult> ref = exec.weft().task(TaskRunner::runRead, task, plan, taskIndex)
                .name(name + "#" + taskIndex).remote();
        launched(new Running(ref, List.of(), 0, est, taskIndex, task.metadata().inputFiles(), null));
        return true;
    }

    @Override
    void cancel() {
        pending.clear();
        super.cancel();
    }

    @Override
    double taskCpus() {
        return 1; // read tasks are submitted with the runtime's default of one CPU
    }

    @Override
    Map<String, Double> demand() {
        return demandOf(taskCpus(), 0);
    }

    @Override
    String describeWork() {
        return done ? "done" : pending.size() + " read task(s) not launched yet, " + super.describeWork();
    }

    @Override
    boolean writesToSink() {
        return plan != null && plan.sink() != null;
    }
}
