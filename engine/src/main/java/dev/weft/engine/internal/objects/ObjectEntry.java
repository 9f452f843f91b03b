package dev.weft.engine.internal.objects;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The owner's record of one object: its value once ready, its reference count and its lineage. Thread-safe:
 * the value is published through a volatile write, the count is atomic, and waiters share one future per
 * generation (a lost object that is rebuilt starts a new generation).
 *
 * <p>The count covers live handles, task arguments not yet consumed, objects whose value contains this ref,
 * and lineage pins. When it reaches zero the owner frees the object everywhere.
 */
public final class ObjectEntry {
    private static final VarHandle REFS;
    private static final VarHandle FUTURE;
    private static final VarHandle VALUE;
    private static final VarHandle FREED;
    private static final VarHandle CONTAINED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            REFS = lookup.findVarHandle(ObjectEntry.class, "refs", int.class);
            FUTURE = lookup.findVarHandle(ObjectEntry.class, "future", CompletableFuture.class);
            VALUE = lookup.findVarHandle(ObjectEntry.class, "value", ObjectValue.class);
            FREED = lookup.findVarHandle(ObjectEntry.class, "freed", boolean.class);
            CONTAINED = lookup.findVarHandle(ObjectEntry.class, "contained", List.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Orders completions across entries, so wait() can report ready objects in completion order. */
    private static final java.util.concurrent.atomic.AtomicLong COMPLETIONS = new java.util.concurrent.atomic.AtomicLong();

    private final long id;
    private final boolean put;
    private volatile long completedAt;
    private volatile int refs;
    private volatile ObjectValue value;
    @SuppressWarnings("unused") // through FUTURE
    private volatile CompletableFuture<ObjectEntry> future;
    private volatile boolean freed;
    /** The task that produced this object (for rebuilding it), kept while the object is referenced. */
    private volatile Object producer;
    /** Refs nested in this object's value; pinned while this object exists. */
    private volatile List<ObjectEntry> contained = List.of();

    public ObjectEntry(long id, boolean put) {
        this.id = id;
        this.put = put;
    }

    public long id() {
        return id;
    }

    public String idString() {
        return ObjectIds.format(id);
    }

    /** Whether this object was stored by {@code put} (so it cannot be rebuilt). */
    public boolean isPut() {
        return put;
    }

    public ObjectValue value() {
        return value;
    }

    /** When the current value was published, on a runtime-wide sequence (0 while pending). */
    public long completedAt() {
        return completedAt;
    }

    public boolean isReady() {
        return value != null;
    }

    public boolean isFreed() {
        return freed;
    }

    public void retain() {
        REFS.getAndAdd(this, 1);
    }

    /** Drops one reference; returns true when this was the last one (the caller then frees the object). */
    public boolean release() {
        int left = (int) REFS.getAndAdd(this, -1) - 1;
        if (left < 0) {
            REFS.getAndAdd(this, 1);
            return false;
        }
        return left == 0;
    }

    public int refCount() {
        return refs;
    }

    /** Marks the object freed; returns false if it already was. */
    public boolean markFreed() {
        return FREED.compareAndSet(this, false, true);
    }

    public Object producer() {
        return producer;
    }

    public void producer(Object task) {
        this.producer = task;
    }

    public List<ObjectEntry> contained() {
        return contained;
    }

    public void contained(List<ObjectEntry> refs) {
        this.contained = refs;
    }

    /**
     * Takes the refs nested in the value, leaving none, so that exactly one caller releases them: freeing the
     * object and publishing a value for an object freed meanwhile may both try.
     */
    @SuppressWarnings("unchecked")
    public List<ObjectEntry> takeContained() {
        return (List<ObjectEntry>) CONTAINED.getAndSet(this, List.of());
    }

    /** Publishes the value (first completion of this generation wins) and wakes waiters. */
    public boolean complete(ObjectValue v) {
        if (!VALUE.compareAndSet(this, (ObjectValue) null, v)) {
            return false;
        }
        completedAt = COMPLETIONS.incrementAndGet();
        CompletableFuture<ObjectEntry> f = future;
        if (f != null) {
            f.complete(this);
        }
        return true;
    }

    /** Starts a new generation: the value is gone and will be produced again. */
    public void reset() {
        // future first: a waiter that then sees no value is sure to create the new generation's future
        future = null;
        value = null;
    }

    /**
     * A future completed (with this entry) once the current generation has a value. Waiters must re-read
     * {@link #value()} after it completes: a reset may have started a new generation since.
     */
    @SuppressWarnings("unchecked")
    public CompletableFuture<ObjectEntry> readyFuture() {
        CompletableFuture<ObjectEntry> f = future;
        if (f == null) {
            CompletableFuture<ObjectEntry> created = new CompletableFuture<>();
            Object witness = FUTURE.compareAndExchange(this, (CompletableFuture<ObjectEntry>) null, created);
            f = witness == null ? created : (CompletableFuture<ObjectEntry>) witness;
        }
        if (value != null) {
            f.complete(this);
        }
        return f;
    }

    @Override
    public String toString() {
        return idString();
    }
}
