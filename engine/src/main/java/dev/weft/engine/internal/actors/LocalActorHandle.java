package dev.weft.engine.internal.actors;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.spi.ActorCallSpec;
import dev.weft.spi.WeftRuntime;

/** A handle on an actor of an in-JVM runtime: its id, name and the runtime that runs it. Immutable. */
public final class LocalActorHandle<A> implements ActorHandle<A> {
    private final String actorId;
    private final String name;
    private final WeftRuntime runtime;

    public LocalActorHandle(String actorId, String name, WeftRuntime runtime) {
        this.actorId = actorId;
        this.name = name;
        this.runtime = runtime;
    }

    @Override
    public String actorId() {
        return actorId;
    }

    @Override
    public String name() {
        return name;
    }

    public WeftRuntime runtime() {
        return runtime;
    }

    @Override
    public <R> ObjectRef<R> submit(ActorCallSpec call) {
        return runtime.submitActorCall(this, call);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LocalActorHandle<?> other && other.actorId.equals(actorId) && other.runtime == runtime;
    }

    @Override
    public int hashCode() {
        return actorId.hashCode();
    }

    @Override
    public String toString() {
        return "ActorHandle(" + actorId + (name == null ? "" : ", " + name) + ")";
    }
}
