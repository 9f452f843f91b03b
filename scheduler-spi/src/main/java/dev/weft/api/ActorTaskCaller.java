package dev.weft.api;

import dev.weft.spi.ActorCallSpec;

/** An actor call about to be submitted. Not thread-safe; use once. */
public final class ActorTaskCaller<R> {
    private final ActorHandle<?> actor;
    private final WeftFunction method;
    private final Object[] args;
    private String name;

    ActorTaskCaller(ActorHandle<?> actor, WeftFunction method, Object[] args) {
        if (method == null) {
            throw new IllegalArgumentException("actor method must not be null");
        }
        this.actor = actor;
        this.method = method;
        this.args = args;
    }

    /** The call's name in errors and the state API. */
    public ActorTaskCaller<R> name(String name) {
        this.name = name;
        return this;
    }

    /** Submits the call; returns at once. */
    public ObjectRef<R> remote() {
        return actor.submit(new ActorCallSpec(method, args, name));
    }
}
