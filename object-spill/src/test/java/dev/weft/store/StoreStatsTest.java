package dev.weft.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.store.internal.DefaultObjectStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spill and restore figures of {@link StoreStats} count exactly what was written, read back and freed. */
class StoreStatsTest {

    @Test
    void spilledRestoredAndFileFiguresFollowSpillGetAndDelete(@TempDir Path dir) {
        try (DefaultObjectStore store = (DefaultObjectStore) ObjectStore.create(StoreConfig.builder().name("stats")
                .capacityBytes(4 << 20).spillDirectory(dir).fuseTargetBytes(1 << 30).build())) {
            int[] sizes = {1000, 20_000, 300_000};
            long total = 0;
            for (int i = 0; i < sizes.length; i++) {
                store.put(ObjectId.of("s" + i), ObjectSource.raw(TestData.bytes(i, sizes[i])), PutOptions.primary("t"));
                total += sizes[i];
            }
            store.spillNow();
            StoreStats spilled = store.stats();
            assertEquals(total, spilled.spilledBytes(), spilled.toString());
            assertEquals(3, spilled.spilledCount(), spilled.toString());
            assertEquals(1, spilled.spillFileCount(), "one fused file: " + spilled);
            assertEquals(1, spilled.totalSpillFiles(), spilled.toString());
            assertEquals(total, spilled.totalSpilledBytes(), spilled.toString());
            assertEquals(0, spilled.inMemoryCount(), spilled.toString());
            assertEquals(0, spilled.usedBytes(), spilled.toString());

            try (ObjectView v = store.get(ObjectId.of("s1")).orElseThrow()) {
                TestData.assertContent(1, sizes[1], v.asSegment());
            }
            StoreStats restored = store.stats();
            assertEquals(sizes[1], restored.totalRestoredBytes(), restored.toString());
            assertEquals(1, restored.totalRestoredCount(), restored.toString());
            // Restored objects keep their durable copy until freed.
            assertEquals(total, restored.spilledBytes(), restored.toString());

            store.delete(ObjectId.of("s0"));
            store.delete(ObjectId.of("s1"));
            StoreStats partly = store.stats();
            assertEquals(sizes[2], partly.spilledBytes(), partly.toString());
            assertEquals(1, partly.spilledCount(), partly.toString());
            assertEquals(1, partly.spillFileCount(), "the file still holds s2: " + partly);

            store.delete(ObjectId.of("s2"));
            store.awaitSpillIo();
            StoreStats empty = store.stats();
            assertEquals(0, empty.spilledBytes(), empty.toString());
            assertEquals(0, empty.spillFileCount(), empty.toString());
            assertEquals(0, empty.spillFileBytes(), empty.toString());
            assertEquals(total, empty.totalSpilledBytes(), "totals never go down: " + empty);
        }
    }
}
