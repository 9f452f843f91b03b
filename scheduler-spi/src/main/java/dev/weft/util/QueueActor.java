package dev.weft.util;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The actor behind a {@link Queue}: a bounded FIFO whose blocking calls wait inside the actor (it runs calls
 * concurrently, so a waiting {@code get} does not stop the {@code put} that wakes it). A timeout below zero waits
 * for ever, zero not at all. Results say "nothing" with an empty list rather than an exception, so the caller can
 * name the queue and the wait in its own exception.
 */
final class QueueActor {
    private final int maxSize;
    private final ArrayDeque<Object> items = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();

    QueueActor(int maxSize) {
        this.maxSize = maxSize;
    }

    int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds the one item in {@code boxed} when there is room within {@code timeoutNanos}; whether it did. Items come
     * in a list so that an {@code ObjectRef} item stays a ref (a top-level ref argument would arrive as its value).
     */
    boolean offer(List<?> boxed, long timeoutNanos) throws InterruptedException {
        Object item = boxed.get(0);
        lock.lock();
        try {
            long left = timeoutNanos;
            while (full()) {
                if (timeoutNanos >= 0 && left <= 0) {
                    return false;
                }
                if (timeoutNanos < 0) {
                    notFull.await();
                } else {
                    left = notFull.awaitNanos(left);
                }
            }
            items.addLast(wrap(item));
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Adds all of {@code batch} if there is room for all of it now; whether it did. */
    boolean offerAll(List<?> batch) {
        lock.lock();
        try {
            if (maxSize > 0 && items.size() + batch.size() > maxSize) {
                return false;
            }
            batch.forEach(i -> items.addLast(wrap(i)));
            notEmpty.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The oldest item as a one-element list, or an empty list when none came within {@code timeoutNanos}. */
    List<Object> poll(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (items.isEmpty()) {
                if (timeoutNanos >= 0 && left <= 0) {
                    return new ArrayList<>();
                }
                if (timeoutNanos < 0) {
                    notEmpty.await();
                } else {
                    left = notEmpty.awaitNanos(left);
                }
            }
            List<Object> one = new ArrayList<>(1);
            one.add(unwrap(items.pollFirst()));
            notFull.signal();
            return one;
        } finally {
            lock.unlock();
        }
    }

    /** The {@code n} oldest items if there are that many now, else an empty list. */
    List<Object> pollBatch(int n) {
        lock.lock();
        try {
            if (items.size() < n) {
                return new ArrayList<>();
            }
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(unwrap(items.pollFirst()));
            }
            notFull.signalAll();
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** For {@link Queue#putAsync}: like {@link #offer}, failing the call when there was no room. */
    void put(List<?> boxed, long timeoutNanos) throws InterruptedException {
        if (!offer(boxed, timeoutNanos)) {
            throw new QueueFullException("the queue stayed full (" + maxSize + " items) for " + timeoutNanos / 1_000_000
                    + " ms");
        }
    }

    /** For {@link Queue#getAsync}: like {@link #poll}, failing the call when nothing came. */
    Object take(long timeoutNanos) throws InterruptedException {
        List<Object> one = poll(timeoutNanos);
        if (one.isEmpty()) {
            throw new QueueEmptyException("the queue stayed empty for " + timeoutNanos / 1_000_000 + " ms");
        }
        return one.get(0);
    }

    private boolean full() {
        return maxSize > 0 && items.size() >= maxSize;
    }

    // ArrayDeque holds no nulls; a queue may
    private static final Object NULL = new Object();

    private static Object wrap(Object item) {
        return item == null ? NULL : item;
    }

    private static Object unwrap(Object item) {
        return item == NULL ? null : item;
    }

    static long nanos(java.time.Duration timeout) {
        return timeout == null ? -1 : TimeUnit.NANOSECONDS.convert(timeout);
    }
}
