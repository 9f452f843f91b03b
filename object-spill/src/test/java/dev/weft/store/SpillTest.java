package dev.weft.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.store.internal.DefaultObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SpillTest {
    private static final long CAPACITY = 8 << 20;

    private static DefaultObjectStore store(Path a, Path b, MemoryBackend backend) {
        return (DefaultObjectStore) ObjectStore.create(StoreConfig.builder().name("spill").capacityBytes(CAPACITY)
                .spillDirectory(a).spillDirectory(b).fuseTargetBytes(2 << 20).ioThreads(2)
                .memoryBackend(backend).putTimeout(Duration.ofSeconds(60)).build());
    }

    static long files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".spill")).count();
        }
    }

    @ParameterizedTest
    @EnumSource(MemoryBackend.class)
    void threeTimesCapacityOfMixedObjectsRoundTripsThroughTwoDirectories(MemoryBackend backend,
                                                                         @TempDir Path a, @TempDir Path b) throws IOException {
        try (DefaultObjectStore store = store(a, b, backend)) {
            List<StoreFill.Put> puts = StoreFill.fill(store, 3 * CAPACITY, 1 << 20, 42);
            StoreFill.readBack(store, puts, 7);
            StoreFill.readBack(store, puts, 8);
            StoreStats stats = store.stats();
            assertTrue(stats.totalSpilledBytes() >= 2 * CAPACITY * 0.8, stats.toString());
            assertTrue(stats.totalRestoredCount() > 0, stats.toString());
            StoreFill.assertPeakWithinCapacity(store);
            store.awaitSpillIo();
            assertTrue(files(a) > 0 && files(b) > 0, "both directories are used round-robin");
            // Fused: files hold several objects each, and (but for the last of a run) at least the fuse target.
            assertTrue(stats.totalSpilledCount() > 2 * stats.totalSpillFiles(), stats.toString());
            // No small fused writes (Ray's 1-2 MB files): files average at least half the 2 MiB fuse target.
            assertTrue(stats.totalSpilledBytes() / stats.totalSpillFiles() >= (1 << 20), stats.toString());

            for (StoreFill.Put p : puts) {
                assertTrue(store.delete(p.id()));
            }
            store.awaitSpillIo();
            StoreStats after = store.stats();
            assertEquals(0, after.spillFileCount());
            assertEquals(0, after.spillFileBytes());
            assertEquals(0, after.usedBytes());
            assertEquals(0, files(a) + files(b), "every spill file is deleted once its objects are freed");
        }
    }

    @Test
    void aSpillFileLivesUntilItsLastObjectIsFreed(@TempDir Path a) throws IOException {
        try (DefaultObjectStore store = (DefaultObjectStore) ObjectStore.create(StoreConfig.builder().capacityBytes(1 << 20)
                .spillThreshold(0.5).spillDirectory(a).fuseTargetBytes(1 << 30).build())) {
            for (int i = 0; i < 6; i++) {
                store.put(ObjectId.of("o" + i), ObjectSource.raw(TestData.bytes(i, 100_000)), PutOptions.primary("t"));
            }
            store.awaitSpillIo();
            // The threshold spill fused every unpinned object into one file.
            assertEquals(1, files(a));
            assertEquals(6, store.stats().spilledCount());
            for (int i = 0; i < 5; i++) {
                store.delete(ObjectId.of("o" + i));
            }
            store.awaitSpillIo();
            assertEquals(1, files(a));
            try (ObjectView v = store.get(ObjectId.of("o5")).orElseThrow()) {
                TestData.assertContent(5, 100_000, v.asSegment());
                assertEquals(Residency.IN_MEMORY_AND_SPILLED, store.info(ObjectId.of("o5")).orElseThrow().residency());
            }
            store.delete(ObjectId.of("o5"));
            store.awaitSpillIo();
            assertEquals(0, files(a));
            assertEquals(0, store.stats().spillFileCount());
        }
    }

    @Test
    void arrowObjectsSurviveSpillAndRestoreZeroCopy(@TempDir Path a) {
        try (RootAllocator producer = new RootAllocator();
             DefaultObjectStore store = (DefaultObjectStore) ObjectStore.create(StoreConfig.builder().capacityBytes(1 << 20)
                     .spillThreshold(0.5).spillDirectory(a).fuseTargetBytes(1).build())) {
            for (int k = 0; k < 8; k++) {
                try (BigIntVector v = new BigIntVector("v", producer)) {
                    v.allocateNew(20_000);
                    for (int i = 0; i < 20_000; i++) {
                        v.set(i, (long) k * i);
                    }
                    v.setValueCount(20_000);
                    try (VectorSchemaRoot root = VectorSchemaRoot.of(v)) {
                        store.put(ObjectId.of("b" + k), ObjectSource.arrow(root), PutOptions.primary("t"));
                    }
                }
            }
            assertTrue(store.stats().totalSpilledCount() > 0);
            for (int k = 0; k < 8; k++) {
                try (ObjectView view = store.get(ObjectId.of("b" + k)).orElseThrow()) {
                    BigIntVector v = (BigIntVector) view.asArrow().getVector("v");
                    for (int i = 0; i < 20_000; i += 997) {
                        assertEquals((long) k * i, v.get(i));
                    }
                    long start = view.asSegment().address();
                    assertTrue(v.getDataBuffer().memoryAddress() > start
                            && v.getDataBuffer().memoryAddress() < start + view.asSegment().byteSize());
                }
            }
            StoreFill.assertPeakWithinCapacity(store);
        }
    }
}
