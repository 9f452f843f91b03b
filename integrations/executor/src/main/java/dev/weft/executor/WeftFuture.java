package dev.weft.executor;

import dev.weft.api.GetTimeoutException;
import dev.weft.api.ObjectRef;
import dev.weft.api.TaskCancelledException;
import dev.weft.api.TaskFailedException;
import dev.weft.api.WeftException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The pending result of a task submitted to a {@link WeftExecutorService}, with {@link Future}'s semantics: {@code get}
 * throws {@link ExecutionException} whose cause is the exception the task threw, {@link CancellationException} once
 * {@link #cancel} succeeded, {@link InterruptedException} when the waiting thread is interrupted. Thread-safe.
 *
 * <p>While the task is still queued in the executor (beyond its in-flight window) it has no Weft task yet;
 * {@link #ref()} is empty until it is dispatched.
 */
public final class WeftFuture<T> implements Future<T> {
    private final WeftExecutorService executor;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private volatile ObjectRef<T> ref;

    WeftFuture(WeftExecutorService executor) {
        this.executor = executor;
    }

    /** The Weft task behind this future, or {@code null} while it waits in the executor's queue. */
    public ObjectRef<T> ref() {
        return ref;
    }

    /**
     * A {@link CompletableFuture} completed with the task's value, or exceptionally with a
     * {@link java.util.concurrent.CompletionException} whose cause is the exception the task threw (or a
     * {@link CancellationException}). Completing or cancelling the returned future does not affect the task.
     */
    public CompletableFuture<T> toCompletableFuture() {
        return result.copy();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (result.isDone() || !result.cancel(mayInterruptIfRunning)) {
            return false;
        }
        ObjectRef<T> r = ref;
        if (r != null) {
            executor.cancelTask(r, mayInterruptIfRunning);
        } else {
            executor.dequeue(this);
        }
        return true;
    }

    @Override
    public boolean isCancelled() {
        return result.isCancelled();
    }

    @Override
    public boolean isDone() {
        return result.isDone();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (!result.isDone()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            awaitRef(null);
        }
        return result.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        if (!result.isDone()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (!awaitRef(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                throw new TimeoutException("task not done after " + timeout + " " + unit);
            }
        }
        return result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /**
     * Waits on the Weft ref itself when the task is dispatched: inside a Weft task that lends the task's CPU back
     * to its node while it waits, which waiting on {@link #result} would not. Returns false on a timeout.
     */
    private boolean awaitRef(Duration timeout) throws InterruptedException {
        ObjectRef<T> r = ref;
        if (r == null) {
            return true;
        }
        try {
            if (timeout == null) {
                r.get();
            } else {
                r.get(timeout);
            }
        } catch (GetTimeoutException e) {
            return result.isDone();
        } catch (TaskCancelledException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for " + r.id());
            }
        } catch (WeftException e) {
            // The task's failure: reported from result, which the completion callback fills.
        }
        return true;
    }

    // ---- called by the executor ----------------------------------------------------------------------------

    /** Binds the dispatched task; returns false when the future was cancelled meanwhile (the task is cancelled). */
    boolean dispatched(ObjectRef<T> r, boolean interruptOnCancel) {
        ref = r;
        r.toCompletableFuture().whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(unwrap(error));
            }
            executor.finished(this);
        });
        if (result.isCancelled()) {
            executor.cancelTask(r, interruptOnCancel);
            return false;
        }
        return true;
    }

    /** The task could not be submitted (e.g. it cannot be serialized). */
    void failed(Throwable error) {
        result.completeExceptionally(error);
    }

    /** Completes a task that the caller ran itself after {@link WeftExecutorService#shutdownNow()} handed it back. */
    void completeLocally(T value, Throwable error) {
        if (error == null) {
            result.complete(value);
        } else {
            result.completeExceptionally(error);
        }
    }

    /** Whether the future was cancelled while it waited in the executor's queue. */
    boolean cancelledBeforeDispatch() {
        return result.isCancelled();
    }

    /** What {@code get} reports as the {@link ExecutionException}'s cause: the task's own exception when known. */
    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof TaskFailedException tf && tf.getCause() != null) {
            return tf.getCause();
        }
        if (e instanceof TaskCancelledException) {
            return new CancellationException(e.getMessage());
        }
        return e;
    }

    @Override
    public String toString() {
        ObjectRef<T> r = ref;
        return "WeftFuture[" + (r == null ? "queued" : r.id()) + ", " + state() + "]";
    }
}
