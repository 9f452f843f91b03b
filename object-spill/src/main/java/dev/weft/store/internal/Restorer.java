package dev.weft.store.internal;

import dev.weft.api.ObjectLostException;
import dev.weft.api.ObjectStoreFullException;
import dev.weft.store.ObjectLostListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.arrow.memory.ArrowBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads spilled objects back into memory on the thread that asked for them, so any number of restores run
 * in parallel (one reader per spill file on object stores, see {@code SequentialFileReader}). A record that
 * cannot be read makes the object lost: it leaves the store and the lost listeners hear of it.
 */
final class Restorer {
    private static final Logger LOG = LoggerFactory.getLogger(Restorer.class);

    private final StoreState state;
    private final StoreMemory memory;
    private final Reservations reservations;
    private final List<ObjectLostListener> listeners = new CopyOnWriteArrayList<>();

    Restorer(StoreState state, StoreMemory memory, Reservations reservations) {
        this.state = state;
        this.memory = memory;
        this.reservations = reservations;
    }

    void addListener(ObjectLostListener listener) {
        listeners.add(listener);
    }

    /**
     * Restores {@code object}, whose {@code restoring} future is {@code mine}, and pins it once for the caller.
     *
     * @return false if the object was deleted while it was read (its memory is freed again)
     */
    boolean restore(StoredObject object, CompletableFuture<Void> mine) {
        ArrowBuf buffer = null;
        try {
            reservations.reserve(object.allocated, object.id);
        } catch (RuntimeException e) {
            finish(object, mine, e);
            throw e;
        }
        try {
            buffer = memory.allocate(object.allocated);
            MemorySegment target = MemorySegment.ofAddress(buffer.memoryAddress()).reinterpret(object.size);
            SpillIo.readRecord(object.file, object.offset, object, target, state.config.verifyChecksums());
        } catch (IOException | UncheckedIOException e) {
            buffer.close();
            reservations.unreserve(object.allocated);
            ObjectLostException lost = lost(object, e);
            finish(object, mine, lost);
            for (ObjectLostListener l : listeners) {
                try {
                    l.onObjectLost(object.id, lost);
                } catch (RuntimeException listenerFailure) {
                    LOG.warn("object-lost listener failed for {}", object.id, listenerFailure);
                }
            }
            throw lost;
        } catch (RuntimeException | OutOfMemoryError e) {
            if (buffer != null) {
                buffer.close();
            }
            reservations.unreserve(object.allocated);
            RuntimeException failure = e instanceof RuntimeException r ? r
                    : new ObjectStoreFullException("allocating " + object.allocated + " bytes to restore object "
                    + object.id + " failed: " + e.getMessage(), e);
            finish(object, mine, failure);
            throw failure;
        }
        StoreState s = state;
        s.lock.lock();
        try {
            object.buffer = buffer;
            object.restoring = null;
            s.totalRestoredBytes += object.size;
            s.totalRestoredCount++;
            mine.complete(null);
            if (object.deleted) {
                s.freeLocked(object);
                return false;
            }
            object.pins++;
            return true;
        } finally {
            s.lock.unlock();
        }
    }

    private ObjectLostException lost(StoredObject object, Throwable cause) {
        StoreState s = state;
        s.lock.lock();
        try {
            String message = "object " + object.id + " (" + object.size + " bytes) is lost: its spill record in "
                    + object.file.describe() + " at offset " + object.offset + " cannot be read: " + cause.getMessage();
            s.removeLocked(object);
            object.deleted = true;
            s.totalLostCount++;
            return new ObjectLostException(message, cause);
        } finally {
            s.lock.unlock();
        }
    }

    private void finish(StoredObject object, CompletableFuture<Void> mine, RuntimeException failure) {
        StoreState s = state;
        s.lock.lock();
        try {
            object.restoring = null;
            if (object.deleted) {
                s.freeLocked(object);
            }
            s.changed.signalAll();
        } finally {
            s.lock.unlock();
        }
        mine.completeExceptionally(failure);
    }
}
