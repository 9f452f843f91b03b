package dev.weft.api;

import dev.weft.spi.ActorCallSpec;
import dev.weft.spi.CurrentRuntime;
import dev.weft.spi.FunctionNames;
import dev.weft.spi.FunctionSignature;
import dev.weft.spi.WeftRuntime;

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
        FunctionSignature.checkSubmitted(method, args, 1);
    }

    /** The call's name in errors and the state API. */
    public ActorTaskCaller<R> name(String name) {
        this.name = name;
        return this;
    }

    /**
     * Ray's {@code num_returns}: the method returns a {@code List} or an array of exactly {@code n} elements, and
     * the caller gets one ref per element (see {@link MultiReturnCaller}). Set the name first.
     */
    public MultiReturnCaller numReturns(int n) {
        String shown = name != null ? name : FunctionNames.of(method);
        WeftRuntime runtime = CurrentRuntime.get().orElseThrow(() -> new WeftException(ErrorType.USER_ERROR,
                "numReturns on " + shown + " needs a running Weft runtime: call Weft.init() first"));
        ActorCallSpec call = new ActorCallSpec(method, args, name);
        return new MultiReturnCaller(runtime, () -> actor.submit(call), shown, n);
    }

    /** Submits the call; returns at once. */
    public ObjectRef<R> remote() {
        return actor.submit(new ActorCallSpec(method, args, name));
    }
}
