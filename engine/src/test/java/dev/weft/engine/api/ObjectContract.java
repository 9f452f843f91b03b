package dev.weft.engine.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.testing.LeakChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Objects: put/get round trips and freeing (store usage back to zero). Run against every provider. */
abstract class ObjectContract {
    /** Above the inline threshold (100 KiB), so such objects live in a node's store. */
    static final int LARGE = 1 << 20;
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void putValuesComeBackEqual(Weft weft) {
        assertEquals("hello", weft.put("hello").get());
        assertEquals(Map.of("a", List.of(1, 2)), weft.put(Map.of("a", List.of(1, 2))).get());
        byte[] bytes = Fns.bytes(LARGE, 3);
        assertArrayEquals(bytes, weft.put(bytes).get());
        long[] longs = {1, -2, Long.MAX_VALUE};
        assertArrayEquals(longs, weft.put(longs).get());
        assertEquals(Fns.checksum(bytes), weft.task(Fns::checksum, weft.put(bytes)).remote().get());
    }

    @Test
    void storeIsEmptyAgainAfterHandlesClose(Weft weft) {
        assertEquals(List.of(), LeakChecks.objectsInStores(weft), "a fresh runtime's stores are empty");
        List<ObjectRef<byte[]>> puts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            puts.add(weft.put(Fns.bytes(LARGE, i)));
        }
        List<ObjectRef<byte[]>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            results.add(weft.task(Fns::bytes, LARGE, i).remote());
        }
        weft.wait(results);
        long objects = weft.nodes().stream().mapToLong(n -> n.objectCount()).sum();
        long bytes = weft.nodes().stream().mapToLong(n -> n.objectStoreUsedBytes()).sum();
        assertTrue(objects >= 12, "12 large objects are stored, the nodes report " + objects);
        assertTrue(bytes >= 12L * LARGE, "12 MiB are stored, the nodes report " + bytes + " bytes");

        puts.forEach(ObjectRef::close);
        results.forEach(ObjectRef::close);
        Poll.until(() -> LeakChecks.objectsInStores(weft).isEmpty(),
                "stores empty after close(), still: " + LeakChecks.objectsInStores(weft));
    }

    @Test
    void argumentsAreFreedOnceTheTaskAndTheHandleAreDone(Weft weft) {
        ObjectRef<byte[]> input = weft.put(Fns.bytes(LARGE, 9));
        ObjectRef<Long> sum = weft.task(Fns::checksum, input).remote();
        assertEquals(Fns.checksum(Fns.bytes(LARGE, 9)), sum.get());
        input.close();
        sum.close();
        Poll.until(() -> LeakChecks.objectsInStores(weft).isEmpty(),
                "stores empty after close(), still: " + LeakChecks.objectsInStores(weft));
    }

    @Test
    void storeIsEmptyAgainAfterHandlesAreCollected(Weft weft) {
        long expected = 0;
        for (int i = 0; i < 6; i++) {
            expected += Fns.checksum(Fns.bytes(LARGE, i));
        }
        assertEquals(expected, fillAndDrop(weft));
        List<String> held = LeakChecks.awaitStoresEmpty(weft, PATIENCE);
        assertEquals(List.of(), held, "objects whose handles were garbage collected were not freed");
    }

    /** Creates large objects, reads them, and drops every handle on return. */
    private static long fillAndDrop(Weft weft) {
        List<ObjectRef<byte[]>> refs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            refs.add(i % 2 == 0 ? weft.put(Fns.bytes(LARGE, i)) : weft.task(Fns::bytes, LARGE, i).remote());
        }
        long sum = 0;
        for (byte[] b : weft.get(refs)) {
            sum += Fns.checksum(b);
        }
        assertFalse(LeakChecks.objectsInStores(weft).isEmpty(), "6 large objects should be in a store");
        return sum;
    }
}
