package dev.weft.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ObjectLostException;
import dev.weft.api.ObjectStoreFullException;
import dev.weft.store.internal.DefaultObjectStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpillFailureTest {
    private static final int SIZE = 300_000;

    /** A store where putting a then b spills exactly a, alone in one file. */
    private static DefaultObjectStore storeWithSpilledA(Path dir) {
        DefaultObjectStore store = (DefaultObjectStore) ObjectStore.create(StoreConfig.builder().capacityBytes(1 << 20)
                .spillThreshold(0.5).spillDirectory(dir).fuseTargetBytes(1).build());
        store.put(ObjectId.of("a"), ObjectSource.raw(TestData.bytes(1, SIZE)), PutOptions.primary("t"));
        store.put(ObjectId.of("b"), ObjectSource.raw(TestData.bytes(2, SIZE)), PutOptions.primary("t"));
        store.awaitSpillIo();
        assertEquals(Residency.SPILLED, store.info(ObjectId.of("a")).orElseThrow().residency());
        assertEquals(Residency.IN_MEMORY, store.info(ObjectId.of("b")).orElseThrow().residency());
        return store;
    }

    private static Path onlySpillFile(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".spill")).toList();
            assertEquals(1, files.size(), files.toString());
            return files.getFirst();
        }
    }

    private static void assertLost(DefaultObjectStore store, Path file, String why) {
        List<ObjectId> told = new CopyOnWriteArrayList<>();
        store.addObjectLostListener((id, cause) -> told.add(id));
        ObjectLostException e = assertThrows(ObjectLostException.class, () -> store.get(ObjectId.of("a")));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("offset 16")
                && e.getMessage().contains(why), e.getMessage());
        assertEquals(List.of(ObjectId.of("a")), told);
        assertFalse(store.contains(ObjectId.of("a")));
        assertEquals(1, store.stats().totalLostCount());
        assertEquals(0, store.stats().usedBytes() - SIZE, "the failed restore gave its memory back");
        try (ObjectView b = store.get(ObjectId.of("b")).orElseThrow()) {
            TestData.assertContent(2, SIZE, b.asSegment());
        }
    }

    @Test
    void corruptedSpillFileMakesTheObjectLostNamingFileAndOffset(@TempDir Path dir) throws IOException {
        try (DefaultObjectStore store = storeWithSpilledA(dir)) {
            Path file = onlySpillFile(dir);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(raf.length() - 1000);
                raf.write(new byte[] {1, 2, 3, 4});
            }
            assertLost(store, file, "checksum mismatch");
        }
    }

    @Test
    void truncatedSpillFileMakesTheObjectLostNamingFileAndOffset(@TempDir Path dir) throws IOException {
        try (DefaultObjectStore store = storeWithSpilledA(dir)) {
            Path file = onlySpillFile(dir);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(raf.length() / 2);
            }
            assertLost(store, file, "ends at");
        }
    }

    @Test
    void vanishedSpillFileMakesTheObjectLost(@TempDir Path dir) throws IOException {
        try (DefaultObjectStore store = storeWithSpilledA(dir)) {
            Path file = onlySpillFile(dir);
            Files.delete(file);
            assertLost(store, file, "");
        }
    }

    @Test
    void unwritableSpillDirectoryFailsAtStartUpNamingIt(@TempDir Path dir) throws IOException {
        Path blocker = Files.writeString(dir.resolve("not-a-directory"), "x");
        Path spill = blocker.resolve("spill");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ObjectStore.create(
                StoreConfig.builder().capacityBytes(1 << 20).spillDirectory(spill).build()));
        assertTrue(e.getMessage().contains(spill.toString()) && e.getMessage().contains("not writable"), e.getMessage());
    }

    @Test
    void fullDiskSurfacesAnErrorWhileEveryObjectStaysInMemory(@TempDir Path dir) throws IOException {
        StoreConfig config = StoreConfig.builder().capacityBytes(1 << 20).spillThreshold(0.5)
                .spillUri(URI.create("fullfs://" + dir.toAbsolutePath()))
                .hadoopConf("fs.fullfs.impl", FullDiskFileSystem.class.getName())
                .hadoopConf("fs.fullfs.impl.disable.cache", "true")
                .hadoopConf("fs.fullfs.limit.bytes", "200000")
                .fuseTargetBytes(1).putTimeout(Duration.ofSeconds(60)).build();
        try (DefaultObjectStore store = (DefaultObjectStore) ObjectStore.create(config)) {
            store.put(ObjectId.of("a"), ObjectSource.raw(TestData.bytes(1, SIZE)), PutOptions.primary("t"));
            store.put(ObjectId.of("b"), ObjectSource.raw(TestData.bytes(2, SIZE)), PutOptions.primary("t"));
            ObjectStoreFullException e = assertThrows(ObjectStoreFullException.class, () -> store.put(
                    ObjectId.of("c"), ObjectSource.raw(TestData.bytes(3, 500_000)), PutOptions.primary("t")));
            assertTrue(e.getMessage().contains("No space left on device") && e.getMessage().contains("spilling failed"),
                    e.getMessage());
            store.awaitSpillIo();
            StoreStats stats = store.stats();
            assertTrue(stats.totalSpillFailures() >= 1, stats.toString());
            assertEquals(0, stats.totalSpilledCount());
            assertEquals(2, stats.inMemoryCount());
            try (ObjectView a = store.get(ObjectId.of("a")).orElseThrow();
                 ObjectView b = store.get(ObjectId.of("b")).orElseThrow()) {
                TestData.assertContent(1, SIZE, a.asSegment());
                TestData.assertContent(2, SIZE, b.asSegment());
            }
            store.awaitSpillIo();
            assertEquals(0, SpillTest.files(dir), "partial spill files are removed");
            // Space freed by a delete lets the same put succeed: the store keeps working.
            store.delete(ObjectId.of("b"));
            store.put(ObjectId.of("c"), ObjectSource.raw(TestData.bytes(3, 500_000)), PutOptions.primary("t"));
        }
    }
}
