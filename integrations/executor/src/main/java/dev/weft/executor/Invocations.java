package dev.weft.executor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code invokeAll} and {@code invokeAny} of {@link WeftExecutorService}, with the JDK's documented semantics. */
final class Invocations {
    private Invocations() {
    }

    static <T> List<Future<T>> invokeAll(WeftExecutorService ex, Collection<? extends Callable<T>> tasks)
            throws InterruptedException {
        List<Future<T>> futures = submitAll(ex, tasks);
        try {
            for (Future<T> f : futures) {
                if (!f.isDone()) {
                    try {
                        f.get();
                    } catch (ExecutionException | CancellationException ignored) {
                        // reported by the future itself
                    }
                }
            }
            return futures;
        } catch (InterruptedException | RuntimeException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
    }

    static <T> List<Future<T>> invokeAll(WeftExecutorService ex, Collection<? extends Callable<T>> tasks,
                                         long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Future<T>> futures = submitAll(ex, tasks);
        try {
            for (Future<T> f : futures) {
                if (!f.isDone()) {
                    try {
                        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } catch (ExecutionException | CancellationException ignored) {
                        // reported by the future itself
                    } catch (TimeoutException timedOut) {
                        break;
                    }
                }
            }
            futures.forEach(f -> f.cancel(true));
            return futures;
        } catch (InterruptedException | RuntimeException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
    }

    static <T> T invokeAny(WeftExecutorService ex, Collection<? extends Callable<T>> tasks)
            throws InterruptedException, ExecutionException {
        try {
            return invokeAny(ex, tasks, Long.MAX_VALUE);
        } catch (TimeoutException e) {
            throw new IllegalStateException("invokeAny without a timeout timed out", e);
        }
    }

    static <T> T invokeAny(WeftExecutorService ex, Collection<? extends Callable<T>> tasks, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(tasks, "tasks");
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        tasks.forEach(t -> Objects.requireNonNull(t, "a task in invokeAny's collection"));
        BlockingQueue<CompletableFuture<T>> done = new LinkedBlockingQueue<>();
        List<WeftFuture<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> t : tasks) {
                WeftFuture<T> f = ex.submit(t);
                futures.add(f);
                CompletableFuture<T> c = f.toCompletableFuture();
                c.whenComplete((v, e) -> done.add(c));
            }
            ExecutionException last = null;
            for (int i = 0; i < futures.size(); i++) {
                CompletableFuture<T> c = deadline == Long.MAX_VALUE ? done.take()
                        : done.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (c == null) {
                    throw new TimeoutException("no task of invokeAny completed in time");
                }
                try {
                    return c.get();
                } catch (ExecutionException e) {
                    last = e;
                } catch (CancellationException e) {
                    last = new ExecutionException(e);
                }
            }
            throw last;
        } finally {
            futures.forEach(f -> f.cancel(true));
        }
    }

    private static <T> List<Future<T>> submitAll(WeftExecutorService ex, Collection<? extends Callable<T>> tasks) {
        Objects.requireNonNull(tasks, "tasks");
        tasks.forEach(t -> Objects.requireNonNull(t, "a task in invokeAll's collection"));
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> t : tasks) {
                futures.add(ex.submit(t));
            }
        } catch (RuntimeException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        return futures;
    }
}
