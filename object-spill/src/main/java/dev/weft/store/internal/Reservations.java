package dev.weft.store.internal;

import dev.weft.store.ObjectId;

/**
 * Backpressure: capacity is reserved under the store lock before memory is allocated, so the reserved total
 * never passes capacity (and the allocator's limit is never hit). A reservation that does not fit evicts
 * secondaries, drops memory that already has a durable copy, asks for spilling and waits; it fails only when it
 * can never fit, spilling failed while it waited, or the put timeout passed.
 */
final class Reservations {
    private final StoreState state;
    private final Spiller spiller;

    Reservations(StoreState state, Spiller spiller) {
        this.state = state;
        this.spiller = spiller;
    }

    /** Reserves {@code bytes} of capacity for object {@code id}, waiting while eviction and spilling can free it. */
    void reserve(long bytes, ObjectId id) {
        StoreState s = state;
        long deadline = System.nanoTime() + s.config.putTimeout().toNanos();
        s.lock.lock();
        try {
            s.checkOpenLocked();
            if (bytes > s.capacity) {
                throw s.fullLocked(id, bytes, "it is larger than the store's capacity", null);
            }
            // The common case: it fits, no waiting, no bookkeeping beyond the two counters.
            if (s.used + bytes <= s.capacity) {
                s.used += bytes;
                s.peakUsed = Math.max(s.peakUsed, s.used);
                return;
            }
            waitForLocked(bytes, id, deadline);
            s.used += bytes;
            s.peakUsed = Math.max(s.peakUsed, s.used);
        } finally {
            s.lock.unlock();
        }
    }

    private void waitForLocked(long bytes, ObjectId id, long deadline) {
        StoreState s = state;
        long failuresAtStart = s.spillFailureCount;
        boolean waiting = false;
        try {
            while (s.used + bytes > s.capacity) {
                long shortfall = s.used + bytes - s.capacity;
                shortfall -= s.evictSecondariesLocked(shortfall);
                if (shortfall > 0) {
                    shortfall -= s.dropDurableCopiesLocked(shortfall);
                }
                if (shortfall <= 0) {
                    continue;
                }
                if (!waiting) {
                    waiting = true;
                    s.pendingDemand += bytes;
                }
                spiller.scheduleLocked();
                if (s.spillFailureCount != failuresAtStart) {
                    throw s.fullLocked(id, bytes, "spilling failed while it waited: " + s.lastSpillFailure.getMessage(),
                            s.lastSpillFailure);
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw s.fullLocked(id, bytes, "no space was freed within the put timeout of "
                            + s.config.putTimeout(), null);
                }
                try {
                    s.changed.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw s.fullLocked(id, bytes, "the waiting thread was interrupted", e);
                }
                s.checkOpenLocked();
            }
        } finally {
            if (waiting) {
                s.pendingDemand -= bytes;
            }
        }
    }

    /** Gives back a reservation whose allocation or write failed. */
    void unreserve(long bytes) {
        StoreState s = state;
        s.lock.lock();
        try {
            s.used -= bytes;
            s.changed.signalAll();
        } finally {
            s.lock.unlock();
        }
    }
}
