package dev.weft.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.store.internal.DefaultObjectStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/** Fills a store with mixed-size objects worth several times its capacity and reads every one back. */
final class StoreFill {
    private StoreFill() {
    }

    record Put(long n, int size) {
        ObjectId id() {
            return ObjectId.of("obj-" + n);
        }
    }

    /** Puts objects of 1 KiB .. maxSize bytes (a few of exactly maxSize) until {@code totalBytes} are stored. */
    static List<Put> fill(ObjectStore store, long totalBytes, int maxSize, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Put> puts = new ArrayList<>();
        long total = 0;
        for (long n = 0; total < totalBytes; n++) {
            int size = n % 9 == 0 ? maxSize : 1024 + rng.nextInt(maxSize - 1024);
            if (n % 13 == 0) {
                size = rng.nextInt(64); // tiny objects, including empty ones
            }
            store.put(ObjectId.of("obj-" + n), ObjectSource.raw(TestData.bytes(n, size)), PutOptions.primary("fill"));
            puts.add(new Put(n, size));
            total += size;
        }
        return puts;
    }

    /** Reads every object back in a shuffled order, checking content. */
    static void readBack(ObjectStore store, List<Put> puts, long seed) {
        List<Put> order = new ArrayList<>(puts);
        Collections.shuffle(order, new Random(seed));
        for (Put p : order) {
            try (ObjectView v = store.get(p.id()).orElseThrow(() -> new AssertionError("lost " + p.id()))) {
                TestData.assertContent(p.n(), p.size(), v.asSegment());
            }
        }
    }

    static void assertPeakWithinCapacity(ObjectStore store) {
        StoreStats stats = store.stats();
        assertTrue(stats.peakUsedBytes() <= stats.capacityBytes(),
                "peak " + stats.peakUsedBytes() + " > capacity " + stats.capacityBytes());
        long allocatorPeak = ((DefaultObjectStore) store).objectAllocator().getPeakMemoryAllocation();
        assertTrue(allocatorPeak <= stats.capacityBytes(),
                "allocator peak " + allocatorPeak + " > capacity " + stats.capacityBytes());
        assertEquals(0, stats.totalLostCount());
    }
}
