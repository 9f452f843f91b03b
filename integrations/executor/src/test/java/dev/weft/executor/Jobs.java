package dev.weft.executor;

import java.util.concurrent.Callable;

/** The tasks the executor tests submit: plain classes, shipped by value like any user's task. */
final class Jobs {
    private Jobs() {
    }

    /** Returns its value. */
    record Value<T>(T value) implements Callable<T> {
        @Override
        public T call() {
            return value;
        }
    }

    /** Throws an {@link IllegalStateException} with {@code message}. */
    record Fail(String message) implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException(message);
        }
    }

    /** Counts a run under {@code key}, then returns the count. */
    record Count(String key) implements Callable<Integer>, Runnable {
        @Override
        public Integer call() {
            return Gates.counter(key).incrementAndGet();
        }

        @Override
        public void run() {
            call();
            Gates.open(key + "/ran");
        }
    }

    /**
     * Opens {@code key/started}, then waits for {@code key/release}; when interrupted it opens {@code key/interrupted}
     * and rethrows. Returns {@code value}.
     */
    record Block(String key, int value) implements Callable<Integer> {
        @Override
        public Integer call() throws InterruptedException {
            Gates.counter(key + "/runs").incrementAndGet();
            Gates.open(key + "/started");
            try {
                Gates.await(key + "/release");
            } catch (InterruptedException e) {
                Gates.open(key + "/interrupted");
                throw e;
            }
            return value;
        }
    }
}
