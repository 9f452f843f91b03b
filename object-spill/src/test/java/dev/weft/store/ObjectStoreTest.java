package dev.weft.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ObjectStoreFullException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ObjectStoreTest {

    private static ObjectStore store(long capacity, MemoryBackend backend) {
        return ObjectStore.create(StoreConfig.builder().name("t").capacityBytes(capacity).memoryBackend(backend)
                .putTimeout(Duration.ofSeconds(30)).build());
    }

    @ParameterizedTest
    @EnumSource(MemoryBackend.class)
    void rawSerializedAndWrittenObjectsRoundTrip(MemoryBackend backend) {
        try (ObjectStore store = store(1 << 20, backend)) {
            byte[] raw = TestData.bytes(1, 1000);
            byte[] ser = TestData.bytes(2, 3);
            ObjectInfo a = store.put(ObjectId.of("raw"), ObjectSource.raw(raw), PutOptions.primary("driver"));
            store.put(ObjectId.of("ser"), ObjectSource.serialized(ser), PutOptions.primary("task-7"));
            store.put(ObjectId.of("empty"), ObjectSource.raw(new byte[0]), PutOptions.primary("driver"));
            store.put(ObjectId.of("written"), ObjectSource.written(Encoding.RAW, 16,
                    seg -> seg.fill((byte) 7)), PutOptions.secondary("node-2"));
            ByteBuffer direct = ByteBuffer.allocateDirect(64).put(TestData.bytes(3, 64)).flip();
            store.put(ObjectId.of("direct"), ObjectSource.bytes(Encoding.RAW, direct), PutOptions.primary("d"));

            assertEquals(new ObjectInfo(ObjectId.of("raw"), 1000, Encoding.RAW, "driver", CopyKind.PRIMARY, 0,
                    Residency.IN_MEMORY), a);
            try (ObjectView v = store.get(ObjectId.of("raw")).orElseThrow()) {
                assertArrayEquals(raw, v.toByteArray());
                assertEquals(1, store.info(ObjectId.of("raw")).orElseThrow().pinCount());
                assertEquals(1000, store.stats().pinnedBytes());
            }
            assertEquals(0, store.info(ObjectId.of("raw")).orElseThrow().pinCount());
            try (ObjectView v = store.get(ObjectId.of("ser")).orElseThrow()) {
                assertEquals(Encoding.SERIALIZED, v.info().encoding());
                assertEquals("task-7", v.info().owner());
                ByteBuffer b = v.asByteBuffer();
                assertTrue(b.isReadOnly());
                byte[] got = new byte[b.remaining()];
                b.get(got);
                assertArrayEquals(ser, got);
            }
            try (ObjectView v = store.get(ObjectId.of("empty")).orElseThrow()) {
                assertEquals(0, v.asSegment().byteSize());
            }
            try (ObjectView v = store.get(ObjectId.of("written")).orElseThrow()) {
                assertEquals(CopyKind.SECONDARY, v.info().copyKind());
                assertEquals(16, v.asSegment().byteSize());
                assertEquals(7, v.asSegment().get(ValueLayout.JAVA_BYTE, 15));
            }
            try (ObjectView v = store.get(ObjectId.of("direct")).orElseThrow()) {
                TestData.assertContent(3, 64, v.asSegment());
                assertThrows(IllegalStateException.class, v::asArrow);
            }
            assertEquals(5, store.stats().objectCount());
            assertTrue(store.get(ObjectId.of("missing")).isEmpty());
            assertThrows(IllegalArgumentException.class,
                    () -> store.put(ObjectId.of("raw"), ObjectSource.raw(raw), PutOptions.primary("driver")));
            assertTrue(store.delete(ObjectId.of("raw")));
            assertFalse(store.delete(ObjectId.of("raw")));
            assertFalse(store.contains(ObjectId.of("raw")));
        }
    }

    @Test
    void deletedObjectStaysReadableUntilItsLastViewCloses() {
        try (ObjectStore store = store(1 << 20, MemoryBackend.ARROW)) {
            store.put(ObjectId.of("x"), ObjectSource.raw(TestData.bytes(9, 4096)), PutOptions.primary("o"));
            ObjectView view = store.get(ObjectId.of("x")).orElseThrow();
            store.delete(ObjectId.of("x"));
            assertFalse(store.contains(ObjectId.of("x")));
            assertEquals(4096, store.stats().usedBytes());
            TestData.assertContent(9, 4096, view.asSegment());
            view.close();
            view.close();
            assertEquals(0, store.stats().usedBytes());
        }
    }

    @Test
    void closingWithAnOpenViewFailsNamingTheObject() {
        ObjectStore store = store(1 << 20, MemoryBackend.FFM);
        store.put(ObjectId.of("leaky"), ObjectSource.raw(new byte[100]), PutOptions.primary("o"));
        ObjectView view = store.get(ObjectId.of("leaky")).orElseThrow();
        IllegalStateException e = assertThrows(IllegalStateException.class, store::close);
        assertTrue(e.getMessage().contains("leaky"), e.getMessage());
        view.close();
    }

    @Test
    void aViewLeftOpenAtCloseStaysReadableUntilItCloses() {
        for (MemoryBackend backend : MemoryBackend.values()) {
            ObjectStore store = store(1 << 20, backend);
            byte[] bytes = new byte[4096];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (i * 7);
            }
            store.put(ObjectId.of("read-late"), ObjectSource.raw(bytes), PutOptions.primary("o"));
            ObjectView view = store.get(ObjectId.of("read-late")).orElseThrow();
            // a node killed while another thread copies out of one of its objects: the copy must still see the bytes
            assertThrows(IllegalStateException.class, store::close);
            java.lang.foreign.MemorySegment image = view.asSegment();
            for (int i = 0; i < bytes.length; i++) {
                assertEquals(bytes[i], image.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i), backend + " byte " + i);
            }
            view.close(); // the memory goes now; a second close of the store has nothing left to do
            store.close();
        }
    }

    @Test
    void objectLargerThanCapacityFailsAtOnceNamingTheSizes() {
        try (ObjectStore store = store(1000, MemoryBackend.ARROW)) {
            ObjectStoreFullException e = assertThrows(ObjectStoreFullException.class,
                    () -> store.put(ObjectId.of("big"), ObjectSource.raw(new byte[1001]), PutOptions.primary("o")));
            assertTrue(e.getMessage().contains("1001 bytes") && e.getMessage().contains("capacity 1000"), e.getMessage());
        }
    }

    @Test
    void putThatCannotFitBeforeTheTimeoutFailsNamingPinnedAndSpillableBytes() {
        try (ObjectStore store = ObjectStore.create(StoreConfig.builder().capacityBytes(1000)
                .putTimeout(Duration.ZERO).build())) {
            store.put(ObjectId.of("a"), ObjectSource.raw(new byte[600]), PutOptions.primary("o"));
            try (ObjectView pinned = store.get(ObjectId.of("a")).orElseThrow()) {
                ObjectStoreFullException e = assertThrows(ObjectStoreFullException.class,
                        () -> store.put(ObjectId.of("b"), ObjectSource.raw(new byte[500]), PutOptions.primary("o")));
                assertTrue(e.getMessage().contains("500 bytes") && e.getMessage().contains("pinned 600")
                        && e.getMessage().contains("spillable 0") && e.getMessage().contains("put timeout"), e.getMessage());
            }
        }
    }

    @Test
    void blockedPutProceedsWhenAnotherThreadFreesSpace() throws Exception {
        try (ObjectStore store = store(1000, MemoryBackend.ARROW)) {
            store.put(ObjectId.of("a"), ObjectSource.raw(new byte[600]), PutOptions.primary("o"));
            CountDownLatch started = new CountDownLatch(1);
            Thread[] putter = new Thread[1];
            CompletableFuture<ObjectInfo> put = CompletableFuture.supplyAsync(() -> {
                putter[0] = Thread.currentThread();
                started.countDown();
                return store.put(ObjectId.of("b"), ObjectSource.raw(new byte[500]), PutOptions.primary("o"));
            });
            started.await();
            while (putter[0].getState() != Thread.State.TIMED_WAITING && !put.isDone()) {
                Thread.onSpinWait();
            }
            assertFalse(put.isDone(), "the put must wait for space");
            store.delete(ObjectId.of("a"));
            assertEquals(500, put.get().sizeBytes());
            assertEquals(500, store.stats().usedBytes());
        }
    }

    @Test
    void secondaryCopiesAreEvictedLeastRecentlyUsedFirstBeforeAnyPrimaryIsSpilled(@TempDir Path dir) {
        try (ObjectStore store = ObjectStore.create(StoreConfig.builder().capacityBytes(10_000).spillThreshold(1.0)
                .spillDirectory(dir).fuseTargetBytes(1000).build())) {
            store.put(ObjectId.of("p"), ObjectSource.raw(TestData.bytes(0, 4000)), PutOptions.primary("o"));
            store.put(ObjectId.of("s1"), ObjectSource.raw(TestData.bytes(1, 2500)), PutOptions.secondary("o"));
            store.put(ObjectId.of("s2"), ObjectSource.raw(TestData.bytes(2, 2500)), PutOptions.secondary("o"));
            store.get(ObjectId.of("s1")).orElseThrow().close(); // s1 is now more recently used than s2
            store.put(ObjectId.of("n"), ObjectSource.raw(TestData.bytes(3, 2000)), PutOptions.primary("o"));
            assertFalse(store.contains(ObjectId.of("s2")));
            assertTrue(store.contains(ObjectId.of("s1")));
            StoreStats stats = store.stats();
            assertEquals(1, stats.totalEvictedCount());
            assertEquals(0, stats.totalSpilledCount());
            assertEquals(Residency.IN_MEMORY, store.info(ObjectId.of("p")).orElseThrow().residency());
        }
    }

    @Test
    void builderRejectsBadValuesNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StoreConfig.builder().capacityBytes(0));
        assertTrue(e.getMessage().contains("capacityBytes"));
        assertThrows(IllegalArgumentException.class, () -> StoreConfig.builder().spillThreshold(1.5));
        assertThrows(IllegalArgumentException.class, () -> StoreConfig.builder().spillUri(java.net.URI.create("relative/dir")));
        assertTrue(StoreConfig.builder().build().capacityBytes() > 0);
    }
}
