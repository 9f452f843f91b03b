package dev.weft.engine.internal.objects;

import dev.weft.api.ObjectRef;
import dev.weft.api.WeftException;
import dev.weft.api.ErrorType;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A handle on an object of an in-JVM runtime. Holds one reference on its entry from creation until
 * {@link #close()} or until it is garbage collected (a {@link RefCleaner} action then enqueues the release).
 * A handle with a {@code null} entry is dangling: it was rebuilt from bytes after its object was freed.
 */
public final class LocalObjectRef<T> implements ObjectRef<T> {
    private final ObjectEntry entry;
    private final long id;
    private final RefHost host;
    private final Cleaner.Cleanable cleanable;
    /** For a handle decoded out of a value: the shared reference that keeps its object alive; else null. */
    private final ReadLease lease;
    private volatile boolean closed;
    private static final java.lang.invoke.VarHandle CLOSED;

    static {
        try {
            CLOSED = java.lang.invoke.MethodHandles.lookup().findVarHandle(LocalObjectRef.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Retains {@code entry} for this handle. */
    public LocalObjectRef(ObjectEntry entry, RefHost host, RefCleaner cleaner) {
        this.entry = entry;
        this.id = entry.id();
        this.host = host;
        entry.retain();
        this.cleanable = cleaner.register(this, entry);
        this.lease = null;
    }

    /**
     * A handle decoded out of a value, kept alive through {@code lease} (the value's object holds a reference
     * on {@code entry}) instead of a reference and a cleaner registration of its own.
     */
    public LocalObjectRef(ObjectEntry entry, RefHost host, ReadLease lease) {
        this.entry = entry;
        this.id = entry.id();
        this.host = host;
        this.cleanable = null;
        this.lease = lease;
        lease.opened();
    }

    private LocalObjectRef(long id, RefHost host) {
        this.entry = null;
        this.id = id;
        this.host = host;
        this.cleanable = null;
        this.lease = null;
    }

    /** A handle whose object no longer exists (or never existed in this runtime). */
    public static <T> LocalObjectRef<T> dangling(long id, RefHost host) {
        return new LocalObjectRef<>(id, host);
    }

    /** The entry, checking that this handle may still be used. */
    public ObjectEntry entry() {
        if (entry == null) {
            throw new WeftException(ErrorType.USER_ERROR, "object " + ObjectIds.format(id)
                    + " was freed before this ref was received: its owner no longer holds it");
        }
        if (closed) {
            throw new WeftException(ErrorType.USER_ERROR, "object ref " + ObjectIds.format(id)
                    + " is closed: close() released it, so it can no longer be read or passed on");
        }
        return entry;
    }

    /** The entry even when closed (for bookkeeping), or {@code null} for a dangling ref. */
    public ObjectEntry rawEntry() {
        return entry;
    }

    public long numericId() {
        return id;
    }

    public RefHost host() {
        return host;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String id() {
        return ObjectIds.format(id);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get() {
        return (T) host.getValue(this, null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0, got " + timeout);
        }
        return (T) host.getValue(this, timeout);
    }

    @Override
    public boolean isReady() {
        return entry != null && entry.isReady();
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<T> toCompletableFuture() {
        return (CompletableFuture<T>) host.valueFuture(this);
    }

    @Override
    public void close() {
        if (entry != null && !closed && CLOSED.compareAndSet(this, false, true)) {
            if (lease != null) {
                lease.closed();
            } else {
                cleanable.clean();
            }
        }
    }

    @Override
    public String toString() {
        return "ObjectRef(" + id() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LocalObjectRef<?> other && other.id == id && other.host == host;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }
}
