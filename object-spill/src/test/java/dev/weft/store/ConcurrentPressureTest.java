package dev.weft.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.store.internal.DefaultObjectStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentPressureTest {
    private static final long CAPACITY = 4 << 20;
    private static final int PRODUCERS = 4;
    private static final int READERS = 4;
    private static final int PER_PRODUCER = 60;

    @Test
    void producersAndReadersUnderPressureNeitherDeadlockNorLoseObjects(@TempDir Path dir) throws Exception {
        try (DefaultObjectStore store = (DefaultObjectStore) ObjectStore.create(StoreConfig.builder().name("cc")
                .capacityBytes(CAPACITY).spillDirectory(dir).fuseTargetBytes(512 << 10).ioThreads(2)
                .putTimeout(Duration.ofMinutes(2)).build())) {
            ConcurrentLinkedQueue<StoreFill.Put> written = new ConcurrentLinkedQueue<>();
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicLong reads = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + READERS);
            List<Future<?>> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                producers.add(pool.submit(() -> {
                    SplittableRandom rng = new SplittableRandom(producer);
                    for (int i = 0; i < PER_PRODUCER; i++) {
                        long n = producer * 1_000_000L + i;
                        int size = 1 + rng.nextInt(256 << 10);
                        store.put(ObjectId.of("obj-" + n), ObjectSource.raw(TestData.bytes(n, size)),
                                PutOptions.primary("p" + producer));
                        written.add(new StoreFill.Put(n, size));
                    }
                    return null;
                }));
            }
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                int reader = r;
                readers.add(pool.submit(() -> {
                    SplittableRandom rng = new SplittableRandom(100 + reader);
                    while (producing.get()) {
                        List<StoreFill.Put> snapshot = List.copyOf(written);
                        if (snapshot.isEmpty()) {
                            Thread.onSpinWait();
                            continue;
                        }
                        StoreFill.Put p = snapshot.get(rng.nextInt(snapshot.size()));
                        try (ObjectView v = store.get(p.id()).orElseThrow(() -> new AssertionError("lost " + p.id()))) {
                            TestData.assertContent(p.n(), p.size(), v.asSegment());
                        }
                        reads.incrementAndGet();
                    }
                    return null;
                }));
            }
            // A generous bound only to turn a deadlock into a failure instead of a hung build.
            for (Future<?> f : producers) {
                f.get(5, TimeUnit.MINUTES);
            }
            producing.set(false);
            for (Future<?> f : readers) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();

            assertEquals(PRODUCERS * PER_PRODUCER, written.size());
            StoreFill.readBack(store, List.copyOf(written), 3);
            StoreStats stats = store.stats();
            assertEquals(PRODUCERS * PER_PRODUCER, stats.objectCount());
            assertTrue(stats.totalSpilledCount() > 0 && stats.totalRestoredCount() > 0, stats.toString());
            assertTrue(reads.get() > 0);
            StoreFill.assertPeakWithinCapacity(store);
        }
    }
}
