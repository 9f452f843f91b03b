package dev.weft.engine.internal.cluster;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.spi.ActorCallSpec;

/**
 * A handle on an actor that lives on a node JVM: its cluster id, name and the node serving it. Calls go through
 * {@code caller}, the participant this handle lives in (the driver, or the node that read it from a value).
 */
final class ClusterActorHandle<A> implements ActorHandle<A>, java.io.Serializable {
    /** Sends calls for handles living in this JVM. */
    interface Caller {
        <R> ObjectRef<R> call(ClusterActorHandle<?> actor, ActorCallSpec call);
    }

    private final String actorId;
    private final String name;
    private final String holder;
    private final Caller caller;

    ClusterActorHandle(String actorId, String name, String holder, Caller caller) {
        this.actorId = actorId;
        this.name = name;
        this.holder = holder;
        this.caller = caller;
    }

    @Override
    public String actorId() {
        return actorId;
    }

    @Override
    public String name() {
        return name;
    }

    /** The host:port of the node the actor lives on. */
    String holder() {
        return holder;
    }

    @Override
    public <R> ObjectRef<R> submit(ActorCallSpec call) {
        return caller.call(this, call);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterActorHandle<?> other && other.actorId.equals(actorId);
    }

    @Override
    public int hashCode() {
        return actorId.hashCode();
    }

    @java.io.Serial
    private Object writeReplace() {
        return new WireHandles.Actor(actorId, name, holder);
    }

    @Override
    public String toString() {
        return "ActorHandle(" + actorId + (name == null ? "" : ", " + name) + ")";
    }
}
