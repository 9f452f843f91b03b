package dev.weft.engine.internal.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reference counting and generations of one entry; ids and the heap store's accounting. */
class ObjectEntryTest {
    @Test
    void theLastReleaseReportsZeroOnceAndExtraReleasesAreIgnored() {
        ObjectEntry e = new ObjectEntry(1, false);
        e.retain();
        e.retain();
        assertFalse(e.release());
        assertTrue(e.release());
        assertFalse(e.release());
        assertEquals(0, e.refCount());
        assertTrue(e.markFreed());
        assertFalse(e.markFreed());
    }

    @Test
    void aResetStartsANewGenerationThatWaitersSeeComplete() {
        ObjectEntry e = new ObjectEntry(2, false);
        var first = e.readyFuture();
        assertTrue(e.complete(new ObjectValue.Immutable(1)));
        assertFalse(e.complete(new ObjectValue.Immutable(2)));
        assertTrue(first.isDone());
        e.reset();
        assertNull(e.value());
        var second = e.readyFuture();
        assertFalse(second.isDone());
        e.complete(new ObjectValue.Immutable(3));
        assertTrue(second.isDone());
        assertEquals(3, ((ObjectValue.Immutable) e.value()).value());
    }

    @Test
    void idsPrintAndParseBack() {
        assertEquals("obj-00000000000000ff", ObjectIds.format(255));
        assertEquals(255, ObjectIds.parse("obj-00000000000000ff"));
        assertEquals(-1, ObjectIds.parse("nope"));
    }

    @Test
    void theHeapStoreCountsBytesAndObjects() {
        HeapNodeStore store = new HeapNodeStore();
        store.put(1, (byte) 2, new byte[100]);
        store.put(2, (byte) 2, new byte[50]);
        assertEquals(150, store.usedBytes());
        assertEquals(2, store.objectCount());
        assertTrue(store.delete(1));
        assertFalse(store.delete(1));
        assertEquals(50, store.usedBytes());
        store.clear();
        assertEquals(0, store.usedBytes());
        assertEquals(0, store.objectCount());
    }
}
