package dev.weft.store.internal;

import dev.weft.api.ObjectLostException;
import dev.weft.api.ObjectStoreFullException;
import dev.weft.spill.SpillTarget;
import dev.weft.spill.SpillTargets;
import dev.weft.store.Encoding;
import dev.weft.store.ObjectId;
import dev.weft.store.ObjectInfo;
import dev.weft.store.ObjectLostListener;
import dev.weft.store.ObjectSource;
import dev.weft.store.ObjectStore;
import dev.weft.store.ObjectView;
import dev.weft.store.PutOptions;
import dev.weft.store.StoreConfig;
import dev.weft.store.StoreStats;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The object store: put, get, delete and close over the parts that do the work — {@link StoreState} (the
 * bookkeeping under one lock), {@link Reservations} (capacity and backpressure), {@link Spiller} (fused spill
 * writes) and {@link Restorer} (reads back). The lock is held only for map and counter updates; bytes are
 * copied and written outside it.
 */
public final class DefaultObjectStore implements ObjectStore {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultObjectStore.class);

    private final StoreConfig config;
    private final StoreMemory memory;
    private final StoreState state;
    private final Spiller spiller;
    private final Reservations reservations;
    private final Restorer restorer;
    /**
     * Objects whose views were still open when the store closed: their memory stays (a reader may be copying out
     * of it on another thread, as a fetch from a node that is being killed does) and returns when their last view
     * closes; the store's memory is released after the last of them. Guarded by the state lock.
     */
    private final List<StoredObject> lingering = new ArrayList<>();

    private DefaultObjectStore(StoreConfig config, List<SpillTarget> targets) {
        this.config = config;
        this.memory = new StoreMemory(config.name(), config.capacityBytes(), config.memoryBackend());
        var io = Spiller.ioPool(config);
        this.state = new StoreState(config, io);
        this.spiller = new Spiller(state, targets, io);
        this.reservations = new Reservations(state, spiller);
        this.restorer = new Restorer(state, memory, reservations);
    }

    /** Opens a store, checking every spill location is writable first. */
    public static DefaultObjectStore open(StoreConfig config) {
        List<SpillTarget> targets = new ArrayList<>();
        try {
            for (URI uri : config.spillUris()) {
                SpillTarget target;
                try {
                    target = SpillTargets.open(uri, config.hadoopConf());
                } catch (IOException | RuntimeException e) {
                    throw new IllegalArgumentException("spill location " + uri + " cannot be opened: " + e, e);
                }
                targets.add(target);
                try {
                    target.checkWritable();
                } catch (IOException | RuntimeException e) {
                    throw new IllegalArgumentException("spill location " + uri + " is not writable: " + e, e);
                }
            }
        } catch (IllegalArgumentException e) {
            targets.forEach(Spiller::closeQuietly);
            throw e;
        }
        return new DefaultObjectStore(config, List.copyOf(targets));
    }

    @Override
    public StoreConfig config() {
        return config;
    }

    BufferAllocator viewAllocator() {
        return memory.views();
    }

    /** The allocator that holds every stored byte (for tests and benchmarks that check accounting). */
    public BufferAllocator objectAllocator() {
        return memory.objects();
    }

    /**
     * Waits until every spill write and spill file delete submitted so far has finished (for tests and benchmarks
     * that inspect spill directories). Returns at once if the store is closed.
     */
    public void awaitSpillIo() {
        spiller.awaitIo();
    }

    /**
     * Spills every unpinned primary now (fused as usual) and waits for the writes, dropping the memory of those
     * that already have a durable copy. For an engine that knows memory is about to be needed, and for benchmarks.
     *
     * @throws IllegalStateException if spilling is off
     */
    public void spillNow() {
        spiller.spillNow();
    }

    // ---------------------------------------------------------------- put

    @Override
    public ObjectInfo put(ObjectId id, ObjectSource source, PutOptions options) {
        state.lock.lock();
        try {
            state.checkOpenLocked();
            if (state.objects.containsKey(id)) {
                throw new IllegalArgumentException("object " + id + " is already in store " + config.name());
            }
        } finally {
            state.lock.unlock();
        }
        return switch (source) {
            case ObjectSource.Bytes b -> {
                MemorySegment src = MemorySegment.ofBuffer(b.data());
                yield store(id, b.encoding(), src.byteSize(), options, target -> MemorySegment.copy(src, 0, target, 0, src.byteSize()));
            }
            case ObjectSource.Written w -> store(id, w.encoding(), w.sizeBytes(), options, w.writer());
            case ObjectSource.Arrow a -> {
                try (ArrowIpc.Encoded encoded = new ArrowIpc.Encoded(a.root())) {
                    yield store(id, a.encoding(), encoded.size, options, encoded::writeInto);
                }
            }
        };
    }

    private ObjectInfo store(ObjectId id, Encoding encoding, long size, PutOptions options,
                             ObjectSource.SegmentWriter writer) {
        long allocated = Math.max(size, 8);
        reservations.reserve(allocated, id);
        ArrowBuf buffer;
        try {
            buffer = memory.allocate(allocated);
        } catch (OutOfMemoryException | OutOfMemoryError e) {
            reservations.unreserve(allocated);
            throw new ObjectStoreFullException("allocating " + allocated + " bytes for object " + id
                    + " failed in store " + config.name() + " (capacity " + state.capacity + "): " + e.getMessage(), e);
        }
        StoredObject object = new StoredObject(id, size, allocated, encoding, options.owner(), options.copyKind(), buffer);
        try {
            writer.write(object.segment());
        } catch (RuntimeException e) {
            buffer.close();
            reservations.unreserve(allocated);
            throw e;
        }
        state.lock.lock();
        try {
            if (state.closed || state.objects.containsKey(id)) {
                buffer.close();
                state.used -= allocated;
                state.changed.signalAll();
                state.checkOpenLocked();
                throw new IllegalArgumentException("object " + id + " is already in store " + config.name());
            }
            state.addLocked(object);
            spiller.scheduleLocked();
            return object.info();
        } finally {
            state.lock.unlock();
        }
    }

    // ---------------------------------------------------------------- get

    @Override
    public Optional<ObjectView> get(ObjectId id) {
        CompletableFuture<Void> mine;
        StoredObject object;
        while (true) {
            CompletableFuture<Void> theirs;
            state.lock.lock();
            try {
                state.checkOpenLocked();
                object = state.objects.get(id);
                if (object == null) {
                    return Optional.empty();
                }
                state.touchLocked(object);
                if (object.inMemory()) {
                    object.pins++;
                    return Optional.of(new DefaultObjectView(this, object));
                }
                if (object.restoring == null) {
                    mine = new CompletableFuture<>();
                    object.restoring = mine;
                    break;
                }
                theirs = object.restoring;
            } finally {
                state.lock.unlock();
            }
            try {
                theirs.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof ObjectLostException lost) {
                    throw new ObjectLostException(lost.getMessage(), lost);
                }
                // Their restore could not get memory; try ourselves (the object is still spilled).
            }
        }
        return restorer.restore(object, mine) ? Optional.of(new DefaultObjectView(this, object)) : Optional.empty();
    }

    void unpin(StoredObject object) {
        StoreState s = state;
        s.lock.lock();
        try {
            if (s.closed) {
                object.pins--;
                if (object.pins == 0 && lingering.remove(object)) {
                    if (object.inMemory()) {
                        s.releaseMemoryLocked(object);
                    }
                    if (lingering.isEmpty()) {
                        closeMemoryAfterViews();
                    }
                }
                return;
            }
            object.pins--;
            if (object.pins == 0) {
                if (object.deleted) {
                    s.freeLocked(object);
                } else if (object.file != null && s.used - s.spillInFlight > s.thresholdBytes) {
                    // Spilled while it was being read: the durable copy exists, so drop the memory now.
                    s.releaseMemoryLocked(object);
                }
                s.changed.signalAll();
                spiller.scheduleLocked();
            }
        } finally {
            s.lock.unlock();
        }
    }

    // ---------------------------------------------------------------- delete, info, stats, close

    @Override
    public boolean delete(ObjectId id) {
        state.lock.lock();
        try {
            StoredObject o = state.objects.get(id);
            if (o == null) {
                return false;
            }
            state.removeLocked(o);
            o.deleted = true;
            state.freeLocked(o);
            return true;
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public Optional<ObjectInfo> info(ObjectId id) {
        state.lock.lock();
        try {
            StoredObject o = state.objects.get(id);
            return o == null ? Optional.empty() : Optional.of(o.info());
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public StoreStats stats() {
        return state.stats();
    }

    @Override
    public void addObjectLostListener(ObjectLostListener listener) {
        restorer.addListener(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        StoreState s = state;
        s.lock.lock();
        try {
            if (s.closed) {
                return;
            }
            s.closed = true;
            s.changed.signalAll();
        } finally {
            s.lock.unlock();
        }
        spiller.shutdown();
        List<String> pinned = new ArrayList<>();
        s.lock.lock();
        try {
            for (StoredObject o : s.objects.values()) {
                o.deleted = true;
                if (o.pins > 0) {
                    pinned.add(o.id + " (" + o.pins + " views)");
                    lingering.add(o); // its memory goes when its last view closes (see unpin)
                    continue;
                }
                if (o.inMemory()) {
                    s.releaseMemoryLocked(o);
                }
            }
            s.objects.clear();
            s.primaries.clear();
            s.secondaries.clear();
            for (SpillFile f : List.copyOf(s.spillFiles)) {
                s.deleteFileLocked(f);
            }
        } finally {
            s.lock.unlock();
        }
        spiller.closeTargets();
        if (!pinned.isEmpty()) {
            throw new IllegalStateException("object store " + config.name() + " closed with views left open on " + pinned
                    + "; their memory is released when they close");
        }
        try {
            memory.close();
        } catch (IllegalStateException leak) {
            throw new IllegalStateException("object store " + config.name() + " closed with off-heap memory still held: "
                    + leak.getMessage(), leak);
        }
    }

    /** The last view left open at close has closed: the store's memory goes now. State lock held. */
    private void closeMemoryAfterViews() {
        try {
            memory.close();
        } catch (IllegalStateException leak) {
            LOG.warn("object store {}: off-heap memory still held after its last open view closed: {}", config.name(),
                    leak.getMessage());
        }
    }
}
