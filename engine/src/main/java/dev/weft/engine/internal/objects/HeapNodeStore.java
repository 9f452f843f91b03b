package dev.weft.engine.internal.objects;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link NodeStore} on the Java heap: a concurrent map of sealed byte images plus byte accounting. */
public final class HeapNodeStore implements NodeStore {
    private final ConcurrentHashMap<Long, StoredObject> objects = new ConcurrentHashMap<>();
    private final AtomicLong used = new AtomicLong();

    /** Stores an immutable image; the store owns {@code bytes} from now on. */
    public void put(long objectId, byte encoding, byte[] bytes) {
        StoredObject previous = objects.put(objectId, new StoredObject(encoding, bytes));
        used.addAndGet(bytes.length - (previous == null ? 0 : previous.bytes().length));
    }

    /** The image, or {@code null} when this store does not hold the object. Callers must not modify it. */
    public StoredObject get(long objectId) {
        return objects.get(objectId);
    }

    @Override
    public boolean delete(long objectId) {
        StoredObject removed = objects.remove(objectId);
        if (removed != null) {
            used.addAndGet(-removed.bytes().length);
            return true;
        }
        return false;
    }

    @Override
    public Set<Long> objectIds() {
        return Set.copyOf(objects.keySet());
    }

    @Override
    public long usedBytes() {
        return used.get();
    }

    @Override
    public long objectCount() {
        return objects.size();
    }

    @Override
    public void clear() {
        for (Long id : objects.keySet()) {
            delete(id);
        }
    }

    /** A stored image: its encoding tag and bytes. */
    public record StoredObject(byte encoding, byte[] bytes) {
    }
}
