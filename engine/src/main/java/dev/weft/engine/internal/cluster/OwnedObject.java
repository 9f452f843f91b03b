package dev.weft.engine.internal.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An object a driver owns: where its value is (once it exists) and how many handles in the driver's JVM still
 * refer to it (its own handles, handles read back from values, and tasks in flight that take it as an argument).
 * When the count falls to zero {@code onFree} runs once. An object made by a task of this driver also knows its
 * {@link TaskLineage} (the task that made it and its position in that task's result), so that it can be rebuilt
 * when its holder dies. Thread-safe.
 */
final class OwnedObject {
    final String id;
    final String owner;
    final CompletableFuture<Location> location = new CompletableFuture<>();
    /** Where lineage rebuilt the value after its first holder lost it (null: never rebuilt); wins over {@code location}. */
    volatile Location.Held moved;
    private final AtomicInteger count = new AtomicInteger();
    private final Consumer<OwnedObject> onFree;
    /** The node a task producing this object was sent to, and that task's id there (for cancel); null before. */
    volatile String taskNode;
    volatile boolean cancelled;
    /** The task that made this object (null: a put, or made by another participant), see {@link TaskLineage}. */
    volatile TaskLineage producer;
    /** Where in {@code producer}'s result this object sits: -1 the result itself, k the k-th ref made inside it. */
    volatile int position = -1;
    /** Set once the last handle is gone (the holder was told to free it); lineage may still rebuild it as an input. */
    volatile boolean freed;

    OwnedObject(String id, String owner, Consumer<OwnedObject> onFree) {
        this.id = id;
        this.owner = owner;
        this.onFree = onFree;
    }

    /** The holder and key of the value now, or null when it is not held by a store (inline, failed, pending). */
    Location.Held held() {
        Location.Held m = moved;
        if (m != null) {
            return m;
        }
        return location.getNow(null) instanceof Location.Held h ? h : null;
    }

    void retain() {
        count.incrementAndGet();
    }

    void release() {
        if (count.decrementAndGet() == 0) {
            freed = true;
            onFree.accept(this);
        }
    }
}
