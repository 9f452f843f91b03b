package dev.weft.store.internal;

import dev.weft.api.ObjectLostException;
import dev.weft.api.ObjectStoreFullException;
import dev.weft.spill.SpillTarget;
import dev.weft.spill.SpillTargets;
import dev.weft.store.CopyKind;
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
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The object store. One lock guards all bookkeeping (it is held only for map and counter updates, never for a
 * copy or I/O); bytes are copied and written outside it. Memory is reserved under the lock before it is
 * allocated, so the reserved total ({@code used}) never passes capacity and the allocator limit is never hit.
 */
public final class DefaultObjectStore implements ObjectStore {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultObjectStore.class);
    private static final AtomicLong INSTANCES = new AtomicLong();

    private final StoreConfig config;
    private final long capacity;
    private final long thresholdBytes;
    private final StoreMemory memory;
    private final List<SpillTarget> targets;
    private final ExecutorService io;
    private final String filePrefix;
    private final AtomicInteger nextTarget = new AtomicInteger();
    private final AtomicLong nextFile = new AtomicLong();
    private final List<ObjectLostListener> listeners = new CopyOnWriteArrayList<>();

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever memory is freed or a spill ends: blocked puts and restores re-check. */
    private final Condition changed = lock.newCondition();
    private final Map<ObjectId, StoredObject> objects = new HashMap<>();
    /** Access-ordered: the eldest entries are the least recently used. */
    private final LinkedHashMap<ObjectId, StoredObject> primaries = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<ObjectId, StoredObject> secondaries = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<SpillFile> spillFiles = new LinkedHashSet<>();
    private long used;
    private long peakUsed;
    private long spillInFlight;
    private long pendingDemand;
    private long spillFailureCount;
    private IOException lastSpillFailure;
    /** After a failed spill write, threshold-driven spilling pauses until then (puts that wait still try). */
    private long spillBackoffUntil = System.nanoTime();
    private long spilledBytes;
    private long spilledCount;
    private long spillFileBytes;
    private long totalSpilledBytes;
    private long totalSpilledCount;
    private long totalSpillFiles;
    private long totalRestoredBytes;
    private long totalRestoredCount;
    private long totalEvictedBytes;
    private long totalEvictedCount;
    private long totalLostCount;
    private boolean closed;

    private DefaultObjectStore(StoreConfig config, List<SpillTarget> targets) {
        this.config = config;
        this.capacity = config.capacityBytes();
        this.thresholdBytes = (long) (capacity * config.spillThreshold());
        this.targets = targets;
        this.memory = new StoreMemory(config.name(), capacity, config.memoryBackend());
        this.filePrefix = config.name() + "-" + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet()
                + "-" + Long.toHexString(System.nanoTime() & 0xffffffL);
        AtomicInteger threadNo = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "weft-spill-" + config.name() + "-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.io = Executors.newFixedThreadPool(config.ioThreads(), factory);
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
            targets.forEach(DefaultObjectStore::closeQuietly);
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
        int threads = config.ioThreads();
        java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(threads);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        try {
            // The pool's queue is FIFO: once all its threads meet at the barrier, everything queued earlier is done.
            for (int i = 0; i < threads; i++) {
                done.add(io.submit(() -> {
                    barrier.await();
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closed: close() already waited for the I/O threads.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("waiting for spill I/O failed", e);
        }
    }

    // ---------------------------------------------------------------- put

    @Override
    public ObjectInfo put(ObjectId id, ObjectSource source, PutOptions options) {
        lock.lock();
        try {
            checkOpen();
            if (objects.containsKey(id)) {
                throw new IllegalArgumentException("object " + id + " is already in store " + config.name());
            }
        } finally {
            lock.unlock();
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

    private ObjectInfo store(ObjectId id, dev.weft.store.Encoding encoding, long size, PutOptions options,
                             ObjectSource.SegmentWriter writer) {
        long allocated = allocationSize(size);
        reserve(allocated, id);
        ArrowBuf buffer;
        try {
            buffer = memory.allocate(allocated);
        } catch (OutOfMemoryException | OutOfMemoryError e) {
            unreserve(allocated);
            throw new ObjectStoreFullException("allocating " + allocated + " bytes for object " + id
                    + " failed in store " + config.name() + " (capacity " + capacity + "): " + e.getMessage(), e);
        }
        StoredObject object = new StoredObject(id, size, allocated, encoding, options.owner(), options.copyKind(), buffer);
        try {
            writer.write(object.segment());
        } catch (RuntimeException e) {
            buffer.close();
            unreserve(allocated);
            throw e;
        }
        lock.lock();
        try {
            if (closed || objects.containsKey(id)) {
                buffer.close();
                used -= allocated;
                changed.signalAll();
                checkOpen();
                throw new IllegalArgumentException("object " + id + " is already in store " + config.name());
            }
            objects.put(id, object);
            (object.copyKind == CopyKind.PRIMARY ? primaries : secondaries).put(id, object);
            scheduleSpillLocked();
            return object.info();
        } finally {
            lock.unlock();
        }
    }

    private static long allocationSize(long size) {
        return Math.max(size, 8);
    }

    // ---------------------------------------------------------------- reservation and backpressure

    /** Reserves {@code bytes} of capacity, waiting while eviction and spilling can free it. */
    private void reserve(long bytes, ObjectId id) {
        long deadline = System.nanoTime() + config.putTimeout().toNanos();
        lock.lock();
        try {
            checkOpen();
            if (bytes > capacity) {
                throw full(id, bytes, "it is larger than the store's capacity", null);
            }
            long failuresAtStart = spillFailureCount;
            boolean waiting = false;
            try {
                while (used + bytes > capacity) {
                    long shortfall = used + bytes - capacity;
                    shortfall -= evictSecondariesLocked(shortfall);
                    if (shortfall > 0) {
                        shortfall -= dropDurableCopiesLocked(shortfall);
                    }
                    if (shortfall <= 0) {
                        continue;
                    }
                    if (!waiting) {
                        waiting = true;
                        pendingDemand += bytes;
                    }
                    scheduleSpillLocked();
                    if (spillFailureCount != failuresAtStart) {
                        throw full(id, bytes, "spilling failed while it waited: " + lastSpillFailure.getMessage(),
                                lastSpillFailure);
                    }
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        throw full(id, bytes, "no space was freed within the put timeout of " + config.putTimeout(), null);
                    }
                    try {
                        changed.awaitNanos(remaining);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw full(id, bytes, "the waiting thread was interrupted", e);
                    }
                    checkOpen();
                }
            } finally {
                if (waiting) {
                    pendingDemand -= bytes;
                }
            }
            used += bytes;
            peakUsed = Math.max(peakUsed, used);
        } finally {
            lock.unlock();
        }
    }

    private void unreserve(long bytes) {
        lock.lock();
        try {
            used -= bytes;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private ObjectStoreFullException full(ObjectId id, long bytes, String why, Throwable cause) {
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

    /** Evicts unpinned secondary copies, least recently used first; returns the bytes freed. */
    private long evictSecondariesLocked(long wanted) {
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
    private long dropDurableCopiesLocked(long wanted) {
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

    // ---------------------------------------------------------------- spilling

    /**
     * Starts spill writes when use (after in-flight spills) is above the threshold, or below what blocked puts
     * need. Each write fuses least recently used unpinned primaries into one file of at least the fuse target
     * when that many bytes are spillable.
     */
    private void scheduleSpillLocked() {
        if (!config.spillEnabled() || closed) {
            return;
        }
        long after = used - spillInFlight;
        long need = Math.max(after - thresholdBytes, after + pendingDemand - capacity);
        if (need <= 0 || (pendingDemand == 0 && System.nanoTime() - spillBackoffUntil < 0)) {
            return;
        }
        need -= evictSecondariesLocked(need);
        if (need > 0) {
            need -= dropDurableCopiesLocked(need);
        }
        if (need <= 0) {
            return;
        }
        startSpillLocked(need);
    }

    /** Marks least recently used spillable primaries worth at least {@code need} bytes and submits fused writes. */
    private void startSpillLocked(long need) {
        List<List<StoredObject>> batches = new ArrayList<>();
        List<StoredObject> batch = new ArrayList<>();
        long batchBytes = 0;
        long planned = 0;
        for (StoredObject o : primaries.values()) {
            if (planned >= need && batch.isEmpty()) {
                break;
            }
            if (!o.inMemory() || o.pins > 0 || o.spilling || o.file != null || o.restoring != null) {
                continue;
            }
            o.spilling = true;
            spillInFlight += o.allocated;
            batch.add(o);
            batchBytes += o.size;
            planned += o.allocated;
            if (batchBytes >= config.fuseTargetBytes()) {
                batches.add(batch);
                batch = new ArrayList<>();
                batchBytes = 0;
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        for (List<StoredObject> b : batches) {
            io.execute(() -> writeSpillFile(b));
        }
    }

    /**
     * Spills every unpinned primary now (fused as usual) and waits for the writes, dropping the memory of those
     * that already have a durable copy. For an engine that knows memory is about to be needed, and for benchmarks.
     *
     * @throws IllegalStateException if spilling is off
     */
    public void spillNow() {
        if (!config.spillEnabled()) {
            throw new IllegalStateException("store " + config.name() + " has no spill location");
        }
        lock.lock();
        try {
            checkOpen();
            dropDurableCopiesLocked(Long.MAX_VALUE);
            startSpillLocked(Long.MAX_VALUE);
        } finally {
            lock.unlock();
        }
        awaitSpillIo();
    }

    private void writeSpillFile(List<StoredObject> batch) {
        SpillTarget target = targets.get(Math.floorMod(nextTarget.getAndIncrement(), targets.size()));
        String name = filePrefix + "-" + nextFile.incrementAndGet() + ".spill";
        long[] offsets = new long[batch.size()];
        long length;
        try {
            length = SpillIo.writeFile(target, name, batch, offsets);
        } catch (IOException | RuntimeException e) {
            onSpillFailed(batch, target.describe(name), e);
            return;
        }
        onSpillWritten(batch, new SpillFile(target, name, length), offsets);
    }

    private void onSpillWritten(List<StoredObject> batch, SpillFile file, long[] offsets) {
        lock.lock();
        try {
            for (int i = 0; i < batch.size(); i++) {
                StoredObject o = batch.get(i);
                o.spilling = false;
                spillInFlight -= o.allocated;
                totalSpilledBytes += o.size;
                totalSpilledCount++;
                if (o.deleted) {
                    freeLocked(o);
                    continue;
                }
                o.file = file;
                o.offset = offsets[i];
                file.liveObjects++;
                spilledBytes += o.size;
                spilledCount++;
                if (o.pins == 0) {
                    releaseMemoryLocked(o);
                }
            }
            totalSpillFiles++;
            spillFiles.add(file);
            spillFileBytes += file.length;
            if (file.liveObjects == 0) {
                deleteFileLocked(file);
            }
            changed.signalAll();
            scheduleSpillLocked();
        } finally {
            lock.unlock();
        }
    }

    private void onSpillFailed(List<StoredObject> batch, String where, Exception e) {
        LOG.warn("spill write to {} of {} objects failed; they stay in memory", where, batch.size(), e);
        lock.lock();
        try {
            for (StoredObject o : batch) {
                o.spilling = false;
                spillInFlight -= o.allocated;
                if (o.deleted) {
                    freeLocked(o);
                }
            }
            spillFailureCount++;
            spillBackoffUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            lastSpillFailure = e instanceof IOException io
                    ? new IOException("spill write to " + where + " failed: " + io.getMessage(), io)
                    : new IOException("spill write to " + where + " failed: " + e, e);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- get and restore

    @Override
    public Optional<ObjectView> get(ObjectId id) {
        CompletableFuture<Void> mine;
        StoredObject object;
        while (true) {
            CompletableFuture<Void> theirs;
            lock.lock();
            try {
                checkOpen();
                object = objects.get(id);
                if (object == null) {
                    return Optional.empty();
                }
                (object.copyKind == CopyKind.PRIMARY ? primaries : secondaries).get(id);
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
                lock.unlock();
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
        return restore(object, mine);
    }

    private Optional<ObjectView> restore(StoredObject object, CompletableFuture<Void> mine) {
        ArrowBuf buffer = null;
        try {
            reserve(object.allocated, object.id);
        } catch (RuntimeException e) {
            finishRestore(object, mine, e);
            throw e;
        }
        try {
            buffer = memory.allocate(object.allocated);
            MemorySegment target = MemorySegment.ofAddress(buffer.memoryAddress()).reinterpret(object.size);
            SpillIo.readRecord(object.file, object.offset, object, target, config.verifyChecksums());
        } catch (IOException | java.io.UncheckedIOException e) {
            buffer.close();
            unreserve(object.allocated);
            ObjectLostException lost = lost(object, e);
            finishRestore(object, mine, lost);
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
            unreserve(object.allocated);
            RuntimeException failure = e instanceof RuntimeException r ? r
                    : new ObjectStoreFullException("allocating " + object.allocated + " bytes to restore object "
                    + object.id + " failed: " + e.getMessage(), e);
            finishRestore(object, mine, failure);
            throw failure;
        }
        lock.lock();
        try {
            object.buffer = buffer;
            object.restoring = null;
            totalRestoredBytes += object.size;
            totalRestoredCount++;
            mine.complete(null);
            if (object.deleted) {
                freeLocked(object);
                return Optional.empty();
            }
            object.pins++;
            return Optional.of(new DefaultObjectView(this, object));
        } finally {
            lock.unlock();
        }
    }

    private ObjectLostException lost(StoredObject object, Throwable cause) {
        lock.lock();
        try {
            String message = "object " + object.id + " (" + object.size + " bytes) is lost: its spill record in "
                    + object.file.describe() + " at offset " + object.offset + " cannot be read: " + cause.getMessage();
            if (objects.get(object.id) == object) {
                objects.remove(object.id);
                primaries.remove(object.id);
                secondaries.remove(object.id);
            }
            object.deleted = true;
            totalLostCount++;
            return new ObjectLostException(message, cause);
        } finally {
            lock.unlock();
        }
    }

    private void finishRestore(StoredObject object, CompletableFuture<Void> mine, RuntimeException failure) {
        lock.lock();
        try {
            object.restoring = null;
            if (object.deleted) {
                freeLocked(object);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        mine.completeExceptionally(failure);
    }

    void unpin(StoredObject object) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            object.pins--;
            if (object.pins == 0) {
                if (object.deleted) {
                    freeLocked(object);
                } else if (object.file != null && !closed && used - spillInFlight > thresholdBytes) {
                    // Spilled while it was being read: the durable copy exists, so drop the memory now.
                    releaseMemoryLocked(object);
                }
                changed.signalAll();
                scheduleSpillLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- delete and freeing

    @Override
    public boolean delete(ObjectId id) {
        lock.lock();
        try {
            StoredObject o = objects.remove(id);
            if (o == null) {
                return false;
            }
            primaries.remove(id);
            secondaries.remove(id);
            o.deleted = true;
            freeLocked(o);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Frees a deleted object's memory and spill record, unless a view, spill or restore still needs them. */
    private void freeLocked(StoredObject o) {
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

    private void releaseMemoryLocked(StoredObject o) {
        o.buffer.close();
        o.buffer = null;
        used -= o.allocated;
        changed.signalAll();
    }

    private void deleteFileLocked(SpillFile file) {
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

    // ---------------------------------------------------------------- info, stats, close

    @Override
    public Optional<ObjectInfo> info(ObjectId id) {
        lock.lock();
        try {
            StoredObject o = objects.get(id);
            return o == null ? Optional.empty() : Optional.of(o.info());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public StoreStats stats() {
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

    @Override
    public void addObjectLostListener(ObjectLostListener listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("object store " + config.name() + " is closed");
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        io.shutdown();
        try {
            if (!io.awaitTermination(5, TimeUnit.MINUTES)) {
                LOG.warn("spill writes of store {} did not finish within 5 minutes of close", config.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> pinned = new ArrayList<>();
        lock.lock();
        try {
            for (StoredObject o : objects.values()) {
                if (o.pins > 0) {
                    pinned.add(o.id + " (" + o.pins + " views)");
                }
                o.deleted = true;
                o.pins = 0;
                if (o.inMemory()) {
                    releaseMemoryLocked(o);
                }
            }
            objects.clear();
            primaries.clear();
            secondaries.clear();
            for (SpillFile f : List.copyOf(spillFiles)) {
                deleteFileLocked(f);
            }
        } finally {
            lock.unlock();
        }
        targets.forEach(DefaultObjectStore::closeQuietly);
        try {
            memory.close();
        } catch (IllegalStateException leak) {
            throw new IllegalStateException("object store " + config.name() + " closed with off-heap memory still held"
                    + (pinned.isEmpty() ? "" : "; views left open on " + pinned) + ": " + leak.getMessage(), leak);
        }
        if (!pinned.isEmpty()) {
            throw new IllegalStateException("object store " + config.name() + " closed with views left open on " + pinned);
        }
    }

    private static void closeQuietly(SpillTarget target) {
        try {
            target.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("closing spill location {} failed", target.uri(), e);
        }
    }
}
