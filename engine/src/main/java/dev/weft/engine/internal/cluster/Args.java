package dev.weft.engine.internal.cluster;

import dev.weft.api.ErrorType;
import dev.weft.api.ObjectRef;
import dev.weft.api.WeftException;
import dev.weft.engine.internal.cluster.proto.Arg;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A driver's task or call arguments between submission and sending: values encoded at once (so a value that
 * cannot be encoded fails the submission), refs pinned (the objects stay while the call is in flight) and sent
 * once ready, by their inline value or their holder, as the owner resolves dependencies in Ray.
 */
final class Args {
    private final Object[] given;
    private final Arg[] encoded;
    private final List<OwnedObject> pins;
    private final List<CompletableFuture<Location>> pending;
    private final AtomicBoolean released = new AtomicBoolean();

    private Args(Object[] given, Arg[] encoded, List<OwnedObject> pins, List<CompletableFuture<Location>> pending) {
        this.given = given;
        this.encoded = encoded;
        this.pins = pins;
        this.pending = pending;
    }

    static Args prepare(Object[] given, ClusterRuntime runtime) {
        Arg[] encoded = new Arg[given.length];
        List<OwnedObject> pins = List.of();
        List<CompletableFuture<Location>> pending = List.of();
        for (int i = 0; i < given.length; i++) {
            Object a = given[i];
            if (a instanceof ClusterRef<?> ref) {
                if (ref.host() instanceof ClusterRuntime other && other != runtime && other.isClosed()) {
                    throw new WeftException(ErrorType.USER_ERROR, "ref " + ref.id() + " belongs to driver "
                            + other.jobId + ", which is closed");
                }
                if (ref.isClosed()) {
                    throw new WeftException(ErrorType.USER_ERROR, "ref " + ref.id() + " was closed and cannot be passed to a task");
                }
                if (ref.owned() != null) {
                    ref.owned().retain();
                    if (pins.isEmpty()) {
                        pins = new ArrayList<>(given.length);
                    }
                    pins.add(ref.owned());
                }
                if (!ref.location().isDone()) {
                    if (pending.isEmpty()) {
                        pending = new ArrayList<>(given.length);
                    }
                    pending.add(ref.location());
                }
            } else if (a instanceof ObjectRef<?> other) {
                throw new WeftException(ErrorType.USER_ERROR, "ref " + other.id() + " belongs to another runtime ("
                        + other.getClass().getSimpleName() + ") and cannot be passed to a cluster task");
            } else {
                encoded[i] = Wire.arg(a, runtime.codec, runtime);
            }
        }
        return new Args(given, encoded, pins, pending);
    }

    /** Whether every ref argument is ready (failed counts as ready): a send need not wait. */
    boolean isReady() {
        for (CompletableFuture<Location> p : pending) {
            if (!p.isDone()) {
                return false;
            }
        }
        return true;
    }

    /** Runs {@code send} once every ref argument is ready (failed counts as ready), at once when they all are. */
    void whenReady(Runnable send) {
        if (pending.isEmpty()) {
            send.run();
        } else {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).whenComplete((x, t) -> send.run());
        }
    }

    /** The arguments as sent; throws the error of a ref argument that failed. */
    List<Arg> wire(ClusterCodec codec, ClusterCodec.Side side) {
        List<Arg> out = new ArrayList<>(given.length);
        for (int i = 0; i < given.length; i++) {
            out.add(encoded[i] != null ? encoded[i] : Wire.arg(given[i], codec, side));
        }
        return out;
    }

    /** Unpins the ref arguments (once, when the call is answered or abandoned). */
    void release() {
        if (released.compareAndSet(false, true)) {
            pins.forEach(OwnedObject::release);
        }
    }
}
