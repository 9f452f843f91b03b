package dev.weft.spi;

import dev.weft.api.ActorHandle;
import dev.weft.api.Bundle;
import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectRef;
import dev.weft.api.PlacementGroup;
import dev.weft.api.PlacementStrategy;
import dev.weft.api.WaitResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a provider implements: the untyped runtime behind {@link dev.weft.api.Weft}. Every method is
 * thread-safe and may be called from inside tasks and actor calls. The creator closes it; {@code close()}
 * is idempotent, stops every non-detached task and actor, frees every object and reports what leaked.
 */
public interface WeftRuntime extends AutoCloseable {
    /** The provider's name ("local", "inline", ...). */
    String providerName();

    /** Submits a task; its arguments may be values or refs. Returns at once. */
    <T> ObjectRef<T> submitTask(TaskSpec spec);

    /** Stores an immutable copy of {@code value}; the caller owns the returned ref. */
    <T> ObjectRef<T> put(T value);

    /** Values of {@code refs} in order; blocks up to {@code timeout} ({@code null}: forever). */
    <T> List<T> get(List<? extends ObjectRef<? extends T>> refs, Duration timeout);

    /** Waits until {@code numReturns} of {@code refs} are ready or {@code timeout} passes ({@code null}: forever). */
    <T> WaitResult<T> wait(List<? extends ObjectRef<T>> refs, int numReturns, Duration timeout);

    /**
     * Cancels the task producing {@code ref} (and, if {@code recursive}, the tasks it submitted). A queued
     * task never runs; with {@code force} a running task's thread is interrupted. Its ref then fails with
     * {@link dev.weft.api.TaskCancelledException}. Does nothing for finished tasks and put objects.
     */
    void cancel(ObjectRef<?> ref, boolean force, boolean recursive);

    /** Creates an actor; returns at once (calls queue until it is placed and constructed). */
    <A> ActorHandle<A> createActor(ActorSpec spec);

    /** Submits a call on an actor created by this runtime. */
    <R> ObjectRef<R> submitActorCall(ActorHandle<?> actor, ActorCallSpec call);

    /** The live actor registered under {@code name}. */
    <A> Optional<ActorHandle<A>> getActor(String name);

    /** Kills an actor; with {@code noRestart} it stays dead, otherwise it restarts if restarts remain. */
    void kill(ActorHandle<?> actor, boolean noRestart);

    /** Reserves bundles atomically; returns at once ({@link PlacementGroup#ready()} tells when reserved). */
    PlacementGroup createPlacementGroup(PlacementStrategy strategy, List<Bundle> bundles, String name);

    /** The nodes of the cluster, alive or dead. */
    List<NodeInfo> nodes();

    /**
     * For each ref, the ids of the nodes whose object stores hold its value now (the primary copy first); empty
     * while the value is pending, and for small values that travel inline with their refs (equally near to every
     * node).
     */
    List<List<String>> objectLocations(List<? extends ObjectRef<?>> refs);

    @Override
    void close();
}
