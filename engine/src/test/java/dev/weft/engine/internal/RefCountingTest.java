package dev.weft.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.api.WeftException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Objects live while anything refers to them (handles, task arguments, refs nested in other objects) and
 * leave the store when the last reference goes: by close, or when a dropped handle is collected.
 */
class RefCountingTest {
    static long[] big(int n) {
        return new long[n];
    }

    static int length(long[] a) {
        return a.length;
    }

    static long storeBytes(Weft weft) {
        return weft.nodes().stream().mapToLong(NodeInfo::objectStoreUsedBytes).sum();
    }

    /** Store frees are events on a node's loop; poll the public state until they landed (no fixed sleep). */
    static void awaitStoreBytes(Weft weft, long expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (storeBytes(weft) != expected && System.nanoTime() < deadline) {
            System.gc();
            Thread.onSpinWait();
        }
        assertEquals(expected, storeBytes(weft));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "inline"})
    void aNestedRefKeepsItsObjectUntilTheContainerGoes(String address) {
        try (Weft weft = Weft.init(WeftConfig.builder().address(address).nodes(2, 1).build())) {
            ObjectRef<long[]> inner = weft.put(big(100_000));
            long innerBytes = storeBytes(weft);
            assertTrue(innerBytes >= 800_000);
            ObjectRef<List<ObjectRef<long[]>>> outer = weft.put(List.of(inner));
            inner.close();
            assertThrows(WeftException.class, inner::get);
            ObjectRef<long[]> borrowed = outer.get().getFirst();
            assertEquals(100_000, weft.task(RefCountingTest::length, borrowed).remote().get());
            borrowed.close();
            outer.close();
            awaitStoreBytes(weft, 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "inline"})
    void aDroppedHandleIsReleasedWhenCollected(String address) {
        try (Weft weft = Weft.init(WeftConfig.builder().address(address).nodes(1, 1).build())) {
            dropBigObject(weft);
            awaitStoreBytes(weft, 0);
        }
    }

    private static void dropBigObject(Weft weft) {
        ObjectRef<long[]> ref = weft.task(RefCountingTest::big, 100_000).remote();
        assertEquals(100_000, ref.get().length);
        assertTrue(storeBytes(weft) > 0);
    }
}
