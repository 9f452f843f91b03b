package dev.weft.api;

import dev.weft.spi.ActorCallSpec;

/**
 * A handle on an actor: {@code handle.task(Counter::incr, 1).remote()} calls a method on it. Calls from one
 * caller run in submission order (unless the actor's {@code maxConcurrency} is above 1). Thread-safe;
 * may be passed to tasks and other actors. Implemented by runtimes.
 */
public non-sealed interface ActorHandle<A> extends TypedActorCalls<A>, TypedActorCalls5<A> {
    /** A cluster-unique id. */
    String actorId();

    /** The registered name, or {@code null}. */
    String name();

    /** Submits a call; used by {@link ActorTaskCaller#remote()}. Users call {@code task(...).remote()}. */
    <R> ObjectRef<R> submit(ActorCallSpec call);
}
