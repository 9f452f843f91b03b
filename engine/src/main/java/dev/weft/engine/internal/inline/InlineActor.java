package dev.weft.engine.internal.inline;

import dev.weft.api.ActorDiedException;
import dev.weft.engine.internal.actors.LocalActorHandle;
import dev.weft.engine.internal.objects.ObjectEntry;
import dev.weft.engine.internal.serial.ErrorCodec;
import dev.weft.spi.ActorSpec;
import java.util.List;

/** An actor of the inline runtime: its spec, its instance and how its life ended. Guarded by its monitor. */
final class InlineActor {
    private final InlineRuntime runtime;
    final String id;
    final ActorSpec spec;
    final LocalActorHandle<?> handle;
    final Object[] ctorArgs;
    final List<ObjectEntry> pins;
    Object instance;
    int restartsLeft;
    RuntimeException death;
    /**
     * Serializes the calls of an actor with {@code maxConcurrency == 1}. Not the actor's monitor: close takes that
     * to kill the actor, and must not wait for a call that ignores its interrupt.
     */
    final java.util.concurrent.locks.ReentrantLock calls = new java.util.concurrent.locks.ReentrantLock();

    InlineActor(InlineRuntime runtime, String id, ActorSpec spec, LocalActorHandle<?> handle, Object[] ctorArgs,
                List<ObjectEntry> pins) {
        this.runtime = runtime;
        this.id = id;
        this.spec = spec;
        this.handle = handle;
        this.ctorArgs = ctorArgs;
        this.pins = pins;
        this.restartsLeft = spec.options().maxRestarts();
    }

    String describe() {
        return id + " (" + spec.displayName() + ")";
    }

    /** Runs the constructor without the actor's monitor, which close takes to kill the actor. */
    void construct() {
        Object made;
        try {
            made = runtime.invoke("actor constructor", describe(), spec.constructor(), runtime.resolve(ctorArgs));
        } catch (Throwable t) {
            RuntimeException cause = t instanceof UpstreamFailure u ? u.error
                    : ErrorCodec.taskFailed(spec.displayName(), t, runtime.codec.serializer());
            die("its constructor failed", cause);
            return;
        }
        synchronized (this) {
            if (death == null) {
                instance = made;
            }
        }
    }

    synchronized void die(String reason, RuntimeException cause) {
        instance = null;
        death = new ActorDiedException("actor " + describe() + " died: " + reason, cause);
        if (spec.options().name() != null) {
            runtime.named.remove(spec.options().name(), this);
        }
        pins.forEach(runtime::release);
    }
}
