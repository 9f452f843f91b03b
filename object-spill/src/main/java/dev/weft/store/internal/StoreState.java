package dev.weft.store.internal;

import dev.weft.api.ObjectStoreFullException;
import dev.weft.store.CopyKind;
import dev.weft.store.ObjectId;
import dev.weft.store.StoreConfig;
import dev.weft.store.StoreStats;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store's bookkeeping: which objects exist, where their bytes are, what is reserved, and the counters behind
 * {@link StoreStats}. Every mutable field is guarded by {@link #lock}, held only for map and counter updates,
 * never for a copy or I/O. Methods named {@code ...Locked} expect the caller to hold it.
 */
final class StoreState {
    private static final Logger LOG = LoggerFactory.getLogger(StoreState.class);

    final StoreConfig config;
    final long capacity;
    final long thresholdBytes;
    /** Runs spill file deletes off the lock (the spill I/O pool). */
    private final Executor io;

    final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever memory is freed or a spill ends: blocked puts and restores re-check. */
    final Condition changed = lock.newCondition();
    final Map<ObjectId, StoredObject> objects = new HashMap<>();
    /** Access-ordered: the eldest entries are the least recently used. */
    final LinkedHashMap<ObjectId, StoredObject> primaries = new LinkedHashMap<>(16, 0.75f, true);
    final LinkedHashMap<ObjectId, StoredObject> secondaries = new LinkedHashMap<>(16, 0.75f, true);
    final Set<SpillFile> spillFiles = new LinkedHashSet<>();
    /** Reserved off-heap bytes: objects in memory plus reservations of puts and restores in progress. */
    long used;
    long peakUsed;
    long spillInFlight;
    /** Bytes that blocked puts and restores are waiting for. */
    long pendingDemand;
    long spillFailureCount;
    IOException lastSpillFailure;
    /** After a failed spill write, threshold-driven spilling pauses until then (puts that wait still try). */
    long spillBackoffUntil = System.nanoTime();
    long spilledBytes;
    long spilledCount;
    long spillFileBytes;
    long totalSpilledBytes;
    long totalSpilledCount;
    long totalSpillFiles;
    long totalRestoredBytes;
    long totalRestoredCount;
    long totalEvictedBytes;
    long totalEvictedCount;
    long totalLostCount;
    boolean closed;

    StoreState(StoreConfig config, Executor io) {
        this.config = config;
        this.capacity = config.capacityBytes();
        this.thresholdBytes = (long) (capacity * config.spillThreshold());
        this.io = io;
    }

    void checkOpenLocked() {
        if (closed) {
            throw new IllegalStateException("object store " + config.name() + " is closed");
        }
    }

    /** Adds a sealed object (its memory already counted in {@link #used}). */
    void addLocked(StoredObject object) {
        objects.put(object.id, object);
        (object.copyKind == CopyKind.PRIMARY ? primaries : secondaries).put(object.id, object);
    }

    /** Removes an object from the maps, if it is still the one registered under its id. */
    void removeLocked(StoredObject object) {
        if (objects.get(object.id) == object) {
            objects.remove(object.id);
            primaries.remove(object.id);
            secondaries.remove(object.id);
        }
    }

    /** Marks an object used (for LRU order). */
    void touchLocked(StoredObject object) {
        (object.copyKind == CopyKind.PRIMARY ? primaries : secondaries).get(object.id);
    }

    /** Evicts unpinned secondary copies, least recently used first; returns the bytes freed. */
    long evictSecondariesLocked(long wanted) {
        long freed = 0;
        Iterator<StoredObject> it = secondaries.values().iterator();
        while (freed < wanted && it.hasNext()) {
            StoredObject o = it.next();
            if (o.pins > 0 || !o.inMemory() || o.restoring != null) {
                continue;
            }
            it.remove();
            objects.remove(o.id);
            o.deleted = true;
            freed += o.allocated;
            totalEvictedBytes += o.size;
            totalEvictedCount++;
            freeLocked(o);
        }
        return freed;
    }

    /** Drops the memory of unpinned primaries that already have a durable copy (no write needed). */
    long dropDurableCopiesLocked(long wanted) {
        long freed = 0;
        for (StoredObject o : primaries.values()) {
            if (freed >= wanted) {
                break;
            }
            if (o.file != null && o.inMemory() && o.pins == 0 && !o.spilling && o.restoring == null) {
                freed += o.allocated;
                releaseMemoryLocked(o);
            }
        }
        return freed;
    }

    /** Frees a deleted object's memory and spill record, unless a view, spill or restore still needs them. */
    void freeLocked(StoredObject o) {
        if (o.pins > 0 || o.spilling || o.restoring != null) {
            return;
        }
        if (o.inMemory()) {
            releaseMemoryLocked(o);
        }
        if (o.file != null) {
            SpillFile file = o.file;
            o.file = null;
            spilledBytes -= o.size;
            spilledCount--;
            if (--file.liveObjects == 0) {
                deleteFileLocked(file);
            }
        }
    }

    void releaseMemoryLocked(StoredObject o) {
        o.buffer.close();
        o.buffer = null;
        used -= o.allocated;
        changed.signalAll();
    }

    /** Forgets a spill file and deletes it (on the I/O pool while open, at once when closing). */
    void deleteFileLocked(SpillFile file) {
        if (!spillFiles.remove(file)) {
            return;
        }
        spillFileBytes -= file.length;
        Runnable delete = () -> {
            try {
                file.target.delete(file.name);
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not delete spill file {}", file.describe(), e);
            }
        };
        if (closed) {
            delete.run();
        } else {
            io.execute(delete);
        }
    }

    /** The exception for a put or restore that cannot get {@code bytes}, with the store's numbers. */
    ObjectStoreFullException fullLocked(ObjectId id, long bytes, String why, Throwable cause) {
        long pinned = 0;
        long spillable = 0;
        for (StoredObject o : objects.values()) {
            if (o.pins > 0) {
                pinned += o.allocated;
            } else if (o.inMemory() && !o.spilling) {
                spillable += o.allocated;
            }
        }
        String message = "object " + id + " of " + bytes + " bytes does not fit in store " + config.name()
                + ": " + why + " (capacity " + capacity + " bytes, used " + used + ", pinned " + pinned
                + ", spillable " + (config.spillEnabled() ? spillable : 0) + ", spilling " + spillInFlight
                + (config.spillEnabled() ? "" : ", spilling is off") + ")";
        return cause == null ? new ObjectStoreFullException(message) : new ObjectStoreFullException(message, cause);
    }

    StoreStats stats() {
        lock.lock();
        try {
            long pinned = 0;
            long spillable = 0;
            long secondary = 0;
            long inMemory = 0;
            for (StoredObject o : objects.values()) {
                if (!o.inMemory()) {
                    continue;
                }
                inMemory++;
                if (o.pins > 0) {
                    pinned += o.size;
                } else if (o.copyKind == CopyKind.PRIMARY && !o.spilling) {
                    spillable += o.size;
                }
                if (o.copyKind == CopyKind.SECONDARY) {
                    secondary += o.size;
                }
            }
            return new StoreStats(capacity, used, peakUsed, pinned, config.spillEnabled() ? spillable : 0, secondary,
                    objects.size(), inMemory, spilledBytes, spilledCount, spillFiles.size(), spillFileBytes,
                    totalSpilledBytes, totalSpilledCount, totalSpillFiles, totalRestoredBytes, totalRestoredCount,
                    totalEvictedBytes, totalEvictedCount, spillFailureCount, totalLostCount);
        } finally {
            lock.unlock();
        }
    }
}
