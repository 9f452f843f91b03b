package dev.weft.engine.internal.objects;

import java.util.Set;

/**
 * One virtual node's object store: sealed byte images of objects, by object id. Thread-safe. Until the
 * off-heap store of {@code dev.weft.store} is adapted behind this interface, {@link HeapNodeStore} holds the bytes.
 */
public interface NodeStore {
    /** Stores an immutable image; the store owns {@code bytes} from now on. */
    void put(long objectId, byte encoding, byte[] bytes);

    /** The image, or {@code null} when this store does not hold the object. Callers must not modify it. */
    StoredObject get(long objectId);

    /** Drops the object; returns whether it was held. */
    boolean delete(long objectId);

    /** Ids of every object held now (a snapshot). */
    Set<Long> objectIds();

    long usedBytes();

    long objectCount();

    /** Drops everything (the node died or the runtime closed). */
    void clear();

    /** A stored image: its encoding tag and bytes. */
    record StoredObject(byte encoding, byte[] bytes) {
    }
}
