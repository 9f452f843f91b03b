package dev.weft.engine.internal.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An object a driver owns: where its value is (once it exists) and how many handles in the driver's JVM still
 * refer to it (its own handles, handles read back from values, and tasks in flight that take it as an argument).
 * When the count falls to zero {@code onFree} runs once. Thread-safe.
 */
final class OwnedObject {
    final String id;
    final String owner;
    final CompletableFuture<Location> location = new CompletableFuture<>();
    private final AtomicInteger count = new AtomicInteger();
    private final Consumer<OwnedObject> onFree;
    /** The node a task producing this object was sent to, and that task's id there (for cancel); null before. */
    volatile String taskNode;
    volatile boolean cancelled;

    OwnedObject(String id, String owner, Consumer<OwnedObject> onFree) {
        this.id = id;
        this.owner = owner;
        this.onFree = onFree;
    }

    void retain() {
        count.incrementAndGet();
    }

    void release() {
        if (count.decrementAndGet() == 0) {
            onFree.accept(this);
        }
    }
}
