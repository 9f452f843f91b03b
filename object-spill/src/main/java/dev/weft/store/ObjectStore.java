package dev.weft.store;

import dev.weft.api.ObjectLostException;
import dev.weft.api.ObjectStoreFullException;
import java.util.Optional;

/**
 * One node's off-heap object store: immutable objects of fixed capacity, pinned while read, spilled to disk
 * or S3 under pressure and restored transparently. Create with {@link #create(StoreConfig)}; the creator
 * closes it.
 *
 * <p><b>Thread safety:</b> every method may be called from any thread concurrently. {@code put} and
 * {@code get} may block (backpressure and restores); nothing else blocks on I/O.
 *
 * <p><b>Ownership:</b> the store owns the stored bytes. A {@link ObjectView} pins an object until closed;
 * {@link #delete} frees an object once no view of it is open.
 */
public interface ObjectStore extends AutoCloseable {

    /**
     * Creates a store. Spill locations are checked now: a directory that cannot be created or written fails
     * here with {@link IllegalArgumentException} naming it.
     */
    static ObjectStore create(StoreConfig config) {
        return dev.weft.store.internal.DefaultObjectStore.open(config);
    }

    /**
     * Copies {@code source} into the store and seals it as {@code id}. Blocks while the store is full and
     * spilling or eviction can free space.
     *
     * @return the sealed object's metadata
     * @throws ObjectStoreFullException naming the object size, capacity, pinned and spillable bytes, when the
     *         object can never fit, or did not fit within {@link StoreConfig#putTimeout()}, or spilling failed
     *         (for example a full disk) while this put waited for it
     * @throws IllegalArgumentException if {@code id} is already stored
     */
    ObjectInfo put(ObjectId id, ObjectSource source, PutOptions options);

    /**
     * Opens a pinned zero-copy view of the object, restoring it from its spill file first if needed
     * (restores of different objects run in parallel on their callers' threads). Empty if the store does not
     * hold {@code id}.
     *
     * @throws ObjectLostException naming the spill file and offset if the object's spill file is gone,
     *         truncated or corrupt; the object is dropped and every {@link ObjectLostListener} is told
     * @throws ObjectStoreFullException if the restore cannot get memory (as for {@link #put})
     */
    Optional<ObjectView> get(ObjectId id);

    /** The object's metadata, without pinning or restoring it; empty if not stored. */
    Optional<ObjectInfo> info(ObjectId id);

    /** Whether the store holds {@code id} (in memory or spilled). */
    default boolean contains(ObjectId id) {
        return info(id).isPresent();
    }

    /**
     * Frees the object: at once if no view is open, else when the last view closes. Its spill file is deleted
     * when every object in it has been freed. Returns false if the store did not hold {@code id}.
     */
    boolean delete(ObjectId id);

    /** A consistent snapshot of the accounting. */
    StoreStats stats();

    /** Registers a listener for objects found lost on restore. */
    void addObjectLostListener(ObjectLostListener listener);

    /** The configuration the store runs with. */
    StoreConfig config();

    /**
     * Frees every object, deletes this store's spill files and closes the allocator tree. Fails with
     * {@link IllegalStateException} naming the leak if off-heap memory is still held after that (a view or an
     * Arrow root left open). Idempotent.
     */
    @Override
    void close();
}
