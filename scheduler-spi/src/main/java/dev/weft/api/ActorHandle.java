package dev.weft.api;

import dev.weft.spi.ActorCallSpec;

/**
 * A handle on an actor: {@code handle.task(Counter::incr, 1).remote()} calls a method on it. Calls from one
 * caller run in submission order (unless the actor's {@code maxConcurrency} is above 1). Thread-safe;
 * may be passed to tasks and other actors. Implemented by runtimes.
 */
public interface ActorHandle<A> {
    /** A cluster-unique id. */
    String actorId();

    /** The registered name, or {@code null}. */
    String name();

    /** Submits a call; used by {@link ActorTaskCaller#remote()}. Users call {@code task(...).remote()}. */
    <R> ObjectRef<R> submit(ActorCallSpec call);

    default <R> ActorTaskCaller<R> task(WeftFunc1<A, R> method) {
        return new ActorTaskCaller<>(this, method, new Object[] {});
    }

    default ActorTaskCaller<Void> task(WeftFuncVoid1<A> method) {
        return new ActorTaskCaller<>(this, method, new Object[] {});
    }

    default <T0, R> ActorTaskCaller<R> task(WeftFunc2<A, T0, R> method, Object a0) {
        return new ActorTaskCaller<>(this, method, new Object[] {a0});
    }

    default <T0> ActorTaskCaller<Void> task(WeftFuncVoid2<A, T0> method, Object a0) {
        return new ActorTaskCaller<>(this, method, new Object[] {a0});
    }

    default <T0, T1, R> ActorTaskCaller<R> task(WeftFunc3<A, T0, T1, R> method, Object a0, Object a1) {
        return new ActorTaskCaller<>(this, method, new Object[] {a0, a1});
    }

    default <T0, T1> ActorTaskCaller<Void> task(WeftFuncVoid3<A, T0, T1> method, Object a0, Object a1) {
        return new ActorTaskCaller<>(this, method, new Object[] {a0, a1});
    }

    default <T0, T1, T2, R> ActorTaskCaller<R> task(WeftFunc4<A, T0, T1, T2, R> method, Object a0, Object a1, Object a2) {
        return new ActorTaskCaller<>(this, method, new Object[] {a0, a1, a2});
    }

    default <T0, T1, T2> ActorTaskCaller<Void> task(WeftFuncVoid4<A, T0, T1, T2> method, Object a0, Object a1, Object a2) {
        return new ActorTaskCaller<>(this, method, new Object[] {a0, a1, a2});
    }

    default <T0, T1, T2, T3, R> ActorTaskCaller<R> task(WeftFunc5<A, T0, T1, T2, T3, R> method, Object a0, Object a1, Object a2, Object a3) {
        return new ActorTaskCaller<>(this, method, new Object[] {a0, a1, a2, a3});
    }

    default <T0, T1, T2, T3> ActorTaskCaller<Void> task(WeftFuncVoid5<A, T0, T1, T2, T3> method, Object a0, Object a1, Object a2, Object a3) {
        return new ActorTaskCaller<>(this, method, new Object[] {a0, a1, a2, a3});
    }

    default <T0, T1, T2, T3, T4, R> ActorTaskCaller<R> task(WeftFunc6<A, T0, T1, T2, T3, T4, R> method, Object a0, Object a1, Object a2, Object a3, Object a4) {
        return new ActorTaskCaller<>(this, method, new Object[] {a0, a1, a2, a3, a4});
    }

    default <T0, T1, T2, T3, T4> ActorTaskCaller<Void> task(WeftFuncVoid6<A, T0, T1, T2, T3, T4> method, Object a0, Object a1, Object a2, Object a3, Object a4) {
        return new ActorTaskCaller<>(this, method, new Object[] {a0, a1, a2, a3, a4});
    }
}
