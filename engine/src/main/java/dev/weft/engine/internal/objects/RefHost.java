package dev.weft.engine.internal.objects;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** What a {@link LocalObjectRef} asks of the runtime that made it. Thread-safe. */
public interface RefHost {
    String runtimeId();

    /** The value of {@code ref}; blocks up to {@code timeout} ({@code null}: forever). */
    Object getValue(LocalObjectRef<?> ref, Duration timeout);

    /** A future of the value (decoded when it completes). */
    CompletableFuture<Object> valueFuture(LocalObjectRef<?> ref);

    /** One handle on {@code entry} was closed or collected. May run on the cleaner thread: must only enqueue work. */
    void releaseHandle(ObjectEntry entry);
}
