package dev.weft.engine.internal.cluster;

import dev.weft.api.ErrorType;
import dev.weft.api.GetTimeoutException;
import dev.weft.api.ObjectRef;
import dev.weft.api.WeftException;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A handle on an object of the cluster. An owned handle (made by the driver that owns the object) counts on the
 * driver's {@link OwnedObject}; closing it, or its collection, drops that count, and the last one frees the object
 * on its holder. A borrowed handle (read from a value in another JVM) counts nothing. Thread-safe.
 */
final class ClusterRef<T> implements ObjectRef<T>, java.io.Serializable {
    /** What a handle needs from the participant it lives in. */
    interface Host {
        ClusterCodec codec();

        /** The encoded value of {@code id} from {@code holder}; blocks; throws the object's error. */
        byte[] pull(String holder, String id);

        /** The address that serves this participant's own objects. */
        String address();

        /**
         * The encoded value of {@code ref}, held at {@code held}; blocks. A driver rebuilds an object it owns whose
         * holder lost it (lineage), a node asks the object's owner when the holder no longer has it.
         */
        default byte[] pullObject(ClusterRef<?> ref, Location.Held held) {
            return pull(held.holder(), held.keyOr(ref.id()));
        }
    }

    private static final Cleaner CLEANER = Cleaner.create(Thread.ofPlatform().daemon().name("weft-cluster-ref-cleaner").factory());

    private final String id;
    private final String owner;
    private final OwnedObject owned;
    private final CompletableFuture<Location> location;
    private final Host host;
    private final Release release;
    private final Cleaner.Cleanable cleanable;

    /** An owned handle: counts one on {@code owned}. */
    ClusterRef(OwnedObject owned, Host host) {
        this.id = owned.id;
        this.owner = owned.owner;
        this.owned = owned;
        this.location = owned.location;
        this.host = host;
        owned.retain();
        this.release = new Release(owned);
        this.cleanable = CLEANER.register(this, release);
    }

    /** A borrowed handle on an object someone else owns, whose value {@code location} gives. */
    ClusterRef(String id, String owner, CompletableFuture<Location> location, Host host) {
        this.id = id;
        this.owner = owner;
        this.owned = null;
        this.location = location;
        this.host = host;
        this.release = null;
        this.cleanable = null;
    }

    private static final class Release implements Runnable {
        private final OwnedObject owned;
        private final AtomicBoolean done = new AtomicBoolean();

        Release(OwnedObject owned) {
            this.owned = owned;
        }

        @Override
        public void run() {
            if (done.compareAndSet(false, true)) {
                owned.release();
            }
        }
    }

    @Override
    public String id() {
        return id;
    }

    Host host() {
        return host;
    }

    String owner() {
        return owner;
    }

    OwnedObject owned() {
        return owned;
    }

    CompletableFuture<Location> location() {
        return location;
    }

    boolean isClosed() {
        return release != null && release.done.get();
    }

    /** The address a receiver pulls this object from: its holder when known, else this participant. */
    String holderForWire() {
        Location.Held moved = owned == null ? null : owned.moved;
        if (moved != null) {
            return moved.holder();
        }
        Location l = location.getNow(null);
        if (l instanceof Location.Held held) {
            return held.holder();
        }
        return owned != null ? host.address() : "";
    }

    @Override
    public T get() {
        return value(await(null));
    }

    @Override
    public T get(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0, got " + timeout);
        }
        return value(await(timeout));
    }

    private Location await(Duration timeout) {
        checkOpen();
        try {
            return timeout == null ? location.get() : location.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new GetTimeoutException("object " + id + " was not ready within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeftException(ErrorType.CANCELLED, "interrupted while waiting for object " + id, e);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    private void checkOpen() {
        if (isClosed()) {
            throw new WeftException(ErrorType.USER_ERROR, "object ref " + id + " was closed; get() needs an open handle");
        }
    }

    @SuppressWarnings("unchecked")
    private T value(Location l) {
        return switch (l) {
            case Location.Inline inline -> (T) decodeResult(inline.bytes());
            case Location.Held held -> (T) decodeResult(host.pullObject(this, held));
            case Location.Failed failed -> throw failed.error();
        };
    }

    /** Decodes a value pulled from a store; refs made inside the task that made this object become its children. */
    private Object decodeResult(byte[] bytes) {
        TaskLineage lineage = owned == null || owned.position != -1 ? null : owned.producer;
        return lineage == null ? host.codec().decode(bytes) : lineage.decodeResult(host.codec(), bytes);
    }

    static RuntimeException unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof RuntimeException re ? re : new WeftException(ErrorType.INTERNAL, t.toString(), t);
    }

    @Override
    public boolean isReady() {
        return location.isDone();
    }

    @Override
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> out = new CompletableFuture<>();
        location.whenComplete((l, t) -> {
            if (t != null) {
                out.completeExceptionally(unwrap(t));
            } else if (l instanceof Location.Inline || l instanceof Location.Failed) {
                complete(out, l);
            } else {
                Thread.ofVirtual().name("weft-pull-" + id).start(() -> complete(out, l));
            }
        });
        return out;
    }

    private void complete(CompletableFuture<T> out, Location l) {
        try {
            out.complete(value(l));
        } catch (RuntimeException e) {
            out.completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        if (cleanable != null) {
            cleanable.clean();
        }
    }

    @java.io.Serial
    private Object writeReplace() {
        return new WireHandles.Ref(id, holderForWire(), owner);
    }

    @Override
    public String toString() {
        return "ObjectRef(" + id + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterRef<?> other && other.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
