package dev.weft.api;

import dev.weft.spi.FunctionNames;
import dev.weft.spi.FunctionSignature;
import dev.weft.spi.TaskSpec;
import dev.weft.spi.WeftRuntime;

/**
 * A task about to be submitted: set options, then {@link #remote()}. Not thread-safe; use once.
 * {@code weft.task(MathFns::square, 4).numCpus(0.5).maxRetries(5).remote()}.
 */
public final class TaskCaller<R> {
    private final WeftRuntime runtime;
    private final WeftFunction function;
    private final Object[] args;
    private final TaskOptions.Builder options = TaskOptions.builder();

    TaskCaller(WeftRuntime runtime, WeftFunction function, Object[] args) {
        if (function == null) {
            throw new IllegalArgumentException("task function must not be null");
        }
        this.runtime = runtime;
        this.function = function;
        this.args = args;
        FunctionSignature.checkSubmitted(function, args, 0);
    }

    public TaskCaller<R> numCpus(double cpus) {
        options.numCpus(cpus);
        return this;
    }

    public TaskCaller<R> numGpus(double gpus) {
        options.numGpus(gpus);
        return this;
    }

    public TaskCaller<R> resource(String name, double amount) {
        options.resource(name, amount);
        return this;
    }

    public TaskCaller<R> maxRetries(int maxRetries) {
        options.maxRetries(maxRetries);
        return this;
    }

    public TaskCaller<R> retryExceptions(boolean retry) {
        options.retryExceptions(retry);
        return this;
    }

    public TaskCaller<R> name(String name) {
        options.name(name);
        return this;
    }

    public TaskCaller<R> schedulingStrategy(SchedulingStrategy strategy) {
        options.schedulingStrategy(strategy);
        return this;
    }

    public TaskCaller<R> placementGroup(PlacementGroup group, int bundleIndex) {
        options.placementGroup(group, bundleIndex);
        return this;
    }

    /**
     * Ray's {@code num_returns}: the function returns a {@code List} or an array of exactly {@code n} elements, and
     * the caller gets one ref per element (see {@link MultiReturnCaller}). Set the other options first.
     */
    public MultiReturnCaller numReturns(int n) {
        TaskOptions built = options.build();
        String shown = built.name() != null ? built.name() : FunctionNames.of(function);
        return new MultiReturnCaller(runtime, () -> runtime.submitTask(new TaskSpec(function, args, built)), shown, n);
    }

    /** Submits the task; returns at once with a ref to its future result. */
    public ObjectRef<R> remote() {
        return runtime.submitTask(new TaskSpec(function, args, options.build()));
    }
}
