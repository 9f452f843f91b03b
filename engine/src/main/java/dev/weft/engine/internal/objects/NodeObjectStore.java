package dev.weft.engine.internal.objects;

import dev.weft.api.ObjectStoreFullException;
import dev.weft.store.CopyKind;
import dev.weft.store.ObjectId;
import dev.weft.store.ObjectInfo;
import dev.weft.store.ObjectSource;
import dev.weft.store.ObjectStore;
import dev.weft.store.ObjectView;
import dev.weft.store.PutOptions;
import dev.weft.store.StoreConfig;
import dev.weft.store.StoreStats;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One virtual node's object store: a {@link ObjectStore} (off-heap, spilling, backpressure) keyed by the
 * engine's numeric object ids, plus the set of primary copies this node holds (what a node death loses).
 * Thread-safe.
 *
 * <p>Reads that copy bytes out of store memory run under a read lock that {@link #clear()} (node death,
 * runtime close) takes exclusively, so store memory is never unmapped under a reader. Zero-copy Arrow roots
 * handed to callers need no lock: they hold Arrow references on the stored buffer, which the store's leak
 * check refuses to free.
 */
public final class NodeObjectStore implements NodeStore {
    private static final Logger LOG = LoggerFactory.getLogger(NodeObjectStore.class);

    private final String nodeId;
    private final ObjectStore store;
    private final PutOptions primary;
    private final PutOptions secondary;
    private final Set<Long> primaries = ConcurrentHashMap.newKeySet();
    private final ReentrantReadWriteLock guard = new ReentrantReadWriteLock();
    private volatile boolean closed;

    /** Receives the engine id of every object the store found lost on restore (spill file gone or corrupt). */
    @FunctionalInterface
    public interface LostHandler {
        void lost(long objectId, dev.weft.api.ObjectLostException cause);
    }

    NodeObjectStore(String nodeId, StoreConfig config, LostHandler onLost) {
        this.nodeId = nodeId;
        this.store = ObjectStore.create(config);
        this.primary = PutOptions.primary(nodeId);
        this.secondary = PutOptions.secondary(nodeId);
        store.addObjectLostListener((id, cause) -> {
            long numeric = ObjectIds.parse(id.value());
            primaries.remove(numeric);
            if (numeric >= 0) {
                onLost.lost(numeric, cause);
            }
        });
    }

    public String nodeId() {
        return nodeId;
    }

    /** The store's configuration (capacity, spill locations). */
    public StoreConfig config() {
        return store.config();
    }

    static ObjectId key(long objectId) {
        return ObjectId.of(ObjectIds.format(objectId));
    }

    /**
     * Stores this node's primary copy, waiting while the store is full and spilling can free space. A stale
     * secondary copy of the same id (fetched before the object was lost and rebuilt here) is replaced.
     *
     * @throws ObjectStoreFullException naming the sizes, when the object can never fit or did not fit in time
     */
    public ObjectInfo putPrimary(long objectId, ObjectSource source) {
        ObjectId key = key(objectId);
        checkOpen();
        store.info(key).filter(i -> i.copyKind() == CopyKind.SECONDARY).ifPresent(i -> store.delete(key));
        ObjectInfo info = store.put(key, source, primary);
        primaries.add(objectId);
        return info;
    }

    /**
     * Stores a secondary copy (an image fetched from another node; evicted LRU by the store). Returns false
     * if this store already holds the object.
     */
    boolean putSecondary(long objectId, ObjectSource source) {
        ObjectId key = key(objectId);
        if (closed || store.contains(key)) {
            return false;
        }
        try {
            store.put(key, source, secondary);
            return true;
        } catch (IllegalArgumentException alreadyThere) {
            return false; // another reader on this node fetched it first
        } catch (IllegalStateException e) {
            if (closed) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Runs {@code reader} on a pinned view of the object and closes the view after, or returns empty if this
     * store does not hold it (or the node is gone). Restores a spilled object first.
     *
     * @throws dev.weft.api.ObjectLostException if the object's spill file is gone or corrupt (the lost
     *         handler has already been told)
     */
    <T> Optional<T> read(long objectId, Function<ObjectView, T> reader) {
        ReentrantReadWriteLock.ReadLock lock = guard.readLock();
        lock.lock();
        try {
            if (closed) {
                return Optional.empty();
            }
            Optional<ObjectView> view = store.get(key(objectId));
            if (view.isEmpty()) {
                return Optional.empty();
            }
            try (ObjectView v = view.get()) {
                return Optional.of(reader.apply(v));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A pinned view the caller closes (for zero-copy Arrow roots, which keep it open until they are closed);
     * empty if not held here.
     */
    public Optional<ObjectView> openView(long objectId) {
        ReentrantReadWriteLock.ReadLock lock = guard.readLock();
        lock.lock();
        try {
            return closed ? Optional.empty() : store.get(key(objectId));
        } finally {
            lock.unlock();
        }
    }

    /** The object's metadata (size, copy kind, residency, pins), without pinning or restoring it. */
    public Optional<ObjectInfo> info(long objectId) {
        return closed ? Optional.empty() : store.info(key(objectId));
    }

    public boolean contains(long objectId) {
        return !closed && store.contains(key(objectId));
    }

    /** Drops the object (at once, or when its last view closes); returns whether it was held. */
    @Override
    public boolean delete(long objectId) {
        primaries.remove(objectId);
        if (closed) {
            return false;
        }
        try {
            return store.delete(key(objectId));
        } catch (IllegalStateException e) {
            if (closed) {
                return false;
            }
            throw e;
        }
    }

    /** Ids of the primary copies held now (a snapshot): what is lost if this node dies. */
    @Override
    public Set<Long> objectIds() {
        return Set.copyOf(primaries);
    }

    /** The store's accounting, or null once the node is gone. */
    public StoreStats stats() {
        return closed ? null : store.stats();
    }

    /** Off-heap bytes held now (objects in memory, primary and secondary, and puts in progress). */
    @Override
    public long usedBytes() {
        StoreStats s = stats();
        return s == null ? 0 : s.usedBytes();
    }

    /** Objects held now, in memory or spilled, primary and secondary. */
    @Override
    public long objectCount() {
        StoreStats s = stats();
        return s == null ? 0 : s.objectCount();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Drops everything and closes the store (the node died or the runtime closed): memory is returned and the
     * store's spill files are deleted. Arrow roots still open on its objects are reported, not freed. Idempotent.
     */
    @Override
    public void clear() {
        ReentrantReadWriteLock.WriteLock lock = guard.writeLock();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            primaries.clear();
        } finally {
            lock.unlock();
        }
        try {
            store.close();
        } catch (IllegalStateException leak) {
            LOG.warn("object store of {} closed while Arrow values read from it were still open (they keep their "
                    + "memory until closed): {}", nodeId, leak.getMessage());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the object store of " + nodeId + " is closed: the node is gone");
        }
    }

    @Override
    public String toString() {
        return "NodeObjectStore(" + nodeId + ")";
    }
}
