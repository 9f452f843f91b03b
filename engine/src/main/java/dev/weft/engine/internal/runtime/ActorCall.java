package dev.weft.engine.internal.runtime;

import dev.weft.engine.internal.objects.ObjectEntry;
import dev.weft.spi.ActorCallSpec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/** One call on an actor: QUEUED → RUNNING → DONE; a retry after the actor died moves RUNNING back to QUEUED. */
final class ActorCall {
    static final int QUEUED = 0;
    static final int RUNNING = 1;
    static final int DONE = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ActorCall.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ActorRecord actor;
    final ActorCallSpec spec;
    final Object[] args;
    final List<ObjectEntry> pins;
    final ObjectEntry result;
    private volatile int state;
    volatile int attempt;
    volatile int retriesLeft;
    /** The running call's code, for interrupts; null while it does not run. */
    volatile RunningCode.Entry code;

    ActorCall(ActorRecord actor, ActorCallSpec spec, Object[] args, List<ObjectEntry> pins, ObjectEntry result,
              int retries) {
        this.actor = actor;
        this.spec = spec;
        this.args = args;
        this.pins = pins;
        this.result = result;
        this.retriesLeft = retries;
    }

    int state() {
        return state;
    }

    boolean transition(int from, int to) {
        return STATE.compareAndSet(this, from, to);
    }

    boolean takeRetry() {
        int left = retriesLeft;
        if (left == 0) {
            return false;
        }
        if (left > 0) {
            retriesLeft = left - 1;
        }
        return true;
    }

    String describe() {
        return "call " + spec.displayName() + " on actor " + actor.describe();
    }
}
