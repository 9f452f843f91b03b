package dev.weft.api;

import dev.weft.spi.ActorSpec;
import dev.weft.spi.FunctionSignature;
import dev.weft.spi.WeftRuntime;

/**
 * An actor about to be created: set options, then {@link #remote()}. Not thread-safe; use once.
 * {@code weft.actor(Counter::new, 10).maxRestarts(2).remote()}.
 */
public final class ActorCreator<A> {
    private final WeftRuntime runtime;
    private final WeftFunction constructor;
    private final Object[] args;
    private final ActorOptions.Builder options = ActorOptions.builder();

    ActorCreator(WeftRuntime runtime, WeftFunction constructor, Object[] args) {
        if (constructor == null) {
            throw new IllegalArgumentException("actor constructor must not be null");
        }
        this.runtime = runtime;
        this.constructor = constructor;
        this.args = args;
        FunctionSignature.checkSubmitted(constructor, args, 0);
    }

    public ActorCreator<A> numCpus(double cpus) {
        options.resource(Resources.CPU, cpus);
        return this;
    }

    public ActorCreator<A> numGpus(double gpus) {
        options.resource(Resources.GPU, gpus);
        return this;
    }

    public ActorCreator<A> resource(String name, double amount) {
        options.resource(name, amount);
        return this;
    }

    public ActorCreator<A> maxRestarts(int n) {
        options.maxRestarts(n);
        return this;
    }

    public ActorCreator<A> maxTaskRetries(int n) {
        options.maxTaskRetries(n);
        return this;
    }

    public ActorCreator<A> maxConcurrency(int n) {
        options.maxConcurrency(n);
        return this;
    }

    public ActorCreator<A> name(String name) {
        options.name(name);
        return this;
    }

    /** The actor outlives the session that created it (until killed or the runtime stops). */
    public ActorCreator<A> detached() {
        options.detached(true);
        return this;
    }

    public ActorCreator<A> schedulingStrategy(SchedulingStrategy strategy) {
        options.schedulingStrategy(strategy);
        return this;
    }

    public ActorCreator<A> placementGroup(PlacementGroup group, int bundleIndex) {
        options.placementGroup(group, bundleIndex);
        return this;
    }

    /** Creates the actor; returns at once. */
    public ActorHandle<A> remote() {
        return runtime.createActor(new ActorSpec(constructor, args, options.build()));
    }
}
