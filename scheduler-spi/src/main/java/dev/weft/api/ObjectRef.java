package dev.weft.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A reference to an immutable object in Weft: the result of a task, or a value {@code put} by a program.
 * The object may not exist yet. Thread-safe; may be passed to tasks (as an argument it is resolved to its
 * value; nested inside another value it stays a reference, borrowed by the receiver).
 *
 * <p>The handle holds a reference count on the object. {@link #close()} releases it now; a handle that is
 * garbage collected releases it too. Closing is idempotent; {@code get} on a closed handle fails.
 */
public interface ObjectRef<T> extends AutoCloseable {
    /** A cluster-unique id, stable across serialization. */
    String id();

    /** Blocks until the object is ready and returns its value. Inside a task the task's CPU is lent back while waiting. */
    T get();

    /** Like {@link #get()}, failing with {@link GetTimeoutException} after {@code timeout}. */
    T get(Duration timeout);

    /** Whether the value (or the error) is available without blocking. */
    boolean isReady();

    /** A future completed with the value or the error; does not block. */
    CompletableFuture<T> toCompletableFuture();

    /** Releases this handle's reference now. Idempotent. */
    @Override
    void close();
}
