package dev.weft.store.internal;

import dev.weft.spill.SpillTarget;
import dev.weft.store.StoreConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when and what to spill, and runs the fused spill writes on a small pool of I/O threads. Objects chosen
 * for a write are marked {@code spilling} under the store lock; the write runs without it; memory is released
 * only after the file is committed (closed and, for local files, forced), so a failed write loses nothing.
 */
final class Spiller {
    private static final Logger LOG = LoggerFactory.getLogger(Spiller.class);
    private static final AtomicLong INSTANCES = new AtomicLong();

    private final StoreState state;
    private final StoreConfig config;
    private final List<SpillTarget> targets;
    private final ExecutorService io;
    private final String filePrefix;
    private final AtomicInteger nextTarget = new AtomicInteger();
    private final AtomicLong nextFile = new AtomicLong();

    Spiller(StoreState state, List<SpillTarget> targets, ExecutorService io) {
        this.state = state;
        this.config = state.config;
        this.targets = targets;
        this.io = io;
        this.filePrefix = config.name() + "-" + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet()
                + "-" + Long.toHexString(System.nanoTime() & 0xffffffL);
    }

    /** The store's I/O pool: spill writes and spill file deletes. */
    static ExecutorService ioPool(StoreConfig config) {
        AtomicInteger threadNo = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "weft-spill-" + config.name() + "-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return Executors.newFixedThreadPool(config.ioThreads(), factory);
    }

    /**
     * Starts spill writes when use (after in-flight spills) is above the threshold, or below what blocked puts
     * need. Each write fuses least recently used unpinned primaries into one file of at least the fuse target
     * when that many bytes are spillable.
     */
    void scheduleLocked() {
        StoreState s = state;
        if (!config.spillEnabled() || s.closed) {
            return;
        }
        long after = s.used - s.spillInFlight;
        long need = Math.max(after - s.thresholdBytes, after + s.pendingDemand - s.capacity);
        if (need <= 0 || (s.pendingDemand == 0 && System.nanoTime() - s.spillBackoffUntil < 0)) {
            return;
        }
        need -= s.evictSecondariesLocked(need);
        if (need > 0) {
            need -= s.dropDurableCopiesLocked(need);
        }
        if (need <= 0) {
            return;
        }
        startLocked(need);
    }

    /** Marks least recently used spillable primaries worth at least {@code need} bytes and submits fused writes. */
    private void startLocked(long need) {
        List<List<StoredObject>> batches = new ArrayList<>();
        List<StoredObject> batch = new ArrayList<>();
        long batchBytes = 0;
        long planned = 0;
        for (StoredObject o : state.primaries.values()) {
            if (planned >= need && batch.isEmpty()) {
                break;
            }
            if (!o.inMemory() || o.pins > 0 || o.spilling || o.file != null || o.restoring != null) {
                continue;
            }
            o.spilling = true;
            state.spillInFlight += o.allocated;
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

    /** See {@link DefaultObjectStore#spillNow()}. */
    void spillNow() {
        if (!config.spillEnabled()) {
            throw new IllegalStateException("store " + config.name() + " has no spill location");
        }
        state.lock.lock();
        try {
            state.checkOpenLocked();
            state.dropDurableCopiesLocked(Long.MAX_VALUE);
            startLocked(Long.MAX_VALUE);
        } finally {
            state.lock.unlock();
        }
        awaitIo();
    }

    /** See {@link DefaultObjectStore#awaitSpillIo()}. */
    void awaitIo() {
        int threads = config.ioThreads();
        CyclicBarrier barrier = new CyclicBarrier(threads);
        List<Future<?>> done = new ArrayList<>();
        try {
            // The pool's queue is FIFO: once all its threads meet at the barrier, everything queued earlier is done.
            for (int i = 0; i < threads; i++) {
                done.add(io.submit(() -> {
                    barrier.await();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (RejectedExecutionException e) {
            // Closed: close() already waited for the I/O threads.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for spill I/O failed", e);
        }
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
        StoreState s = state;
        s.lock.lock();
        try {
            for (int i = 0; i < batch.size(); i++) {
                StoredObject o = batch.get(i);
                o.spilling = false;
                s.spillInFlight -= o.allocated;
                s.totalSpilledBytes += o.size;
                s.totalSpilledCount++;
                if (o.deleted) {
                    s.freeLocked(o);
                    continue;
                }
                o.file = file;
                o.offset = offsets[i];
                file.liveObjects++;
                s.spilledBytes += o.size;
                s.spilledCount++;
                if (o.pins == 0) {
                    s.releaseMemoryLocked(o);
                }
            }
            s.totalSpillFiles++;
            s.spillFiles.add(file);
            s.spillFileBytes += file.length;
            if (file.liveObjects == 0) {
                s.deleteFileLocked(file);
            }
            s.changed.signalAll();
            scheduleLocked();
        } finally {
            s.lock.unlock();
        }
    }

    private void onSpillFailed(List<StoredObject> batch, String where, Exception e) {
        LOG.warn("spill write to {} of {} objects failed; they stay in memory", where, batch.size(), e);
        StoreState s = state;
        s.lock.lock();
        try {
            for (StoredObject o : batch) {
                o.spilling = false;
                s.spillInFlight -= o.allocated;
                if (o.deleted) {
                    s.freeLocked(o);
                }
            }
            s.spillFailureCount++;
            s.spillBackoffUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            s.lastSpillFailure = e instanceof IOException ioe
                    ? new IOException("spill write to " + where + " failed: " + ioe.getMessage(), ioe)
                    : new IOException("spill write to " + where + " failed: " + e, e);
            s.changed.signalAll();
        } finally {
            s.lock.unlock();
        }
    }

    /** Lets queued writes and deletes finish (the store is already marked closed). */
    void shutdown() {
        io.shutdown();
        try {
            if (!io.awaitTermination(5, TimeUnit.MINUTES)) {
                LOG.warn("spill writes of store {} did not finish within 5 minutes of close", config.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void closeTargets() {
        targets.forEach(Spiller::closeQuietly);
    }

    static void closeQuietly(SpillTarget target) {
        try {
            target.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("closing spill location {} failed", target.uri(), e);
        }
    }
}
