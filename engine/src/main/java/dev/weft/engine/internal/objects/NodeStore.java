package dev.weft.engine.internal.objects;

import java.util.Set;

/**
 * Sealed byte images of objects on the Java heap, by object id: the store of the {@code inline} runtime (a
 * debugging runtime with no nodes to spill or transfer between). Thread-safe. The {@code local} runtime's
 * virtual nodes use the off-heap {@link NodeObjectStore} instead.
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
