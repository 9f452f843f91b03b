package dev.weft.engine.internal.objects;

import java.util.Set;

/**
 * What a virtual node's scheduler and its runtime need of the node's object store, by object id. Thread-safe.
 * The {@code local} runtime's nodes use the off-heap {@link NodeObjectStore}; {@link HeapNodeStore} keeps byte
 * images on the heap (the {@code inline} runtime, and scheduler tests that need no store).
 */
public interface NodeStore {
    /** Drops the object; returns whether it was held. */
    boolean delete(long objectId);

    /** Ids of the primary copies held now (a snapshot). */
    Set<Long> objectIds();

    long usedBytes();

    long objectCount();

    /** Drops everything (the node died or the runtime closed). */
    void clear();
}
