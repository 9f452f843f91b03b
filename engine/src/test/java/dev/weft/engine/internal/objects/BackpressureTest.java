package dev.weft.engine.internal.objects;

import static dev.weft.engine.internal.objects.StoreFns.runtime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.GetTimeoutException;
import dev.weft.api.ObjectRef;
import dev.weft.api.ObjectStoreFullException;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/** A result that cannot fit yet waits for space; one that can never fit fails on the task's ref, naming sizes. */
class BackpressureTest {
    private static final long CAPACITY = 16L << 20;

    @Test
    void aResultLargerThanTheStoreFailsOnTheTasksRefNamingTheSizes() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(1, 2).objectStoreBytes(CAPACITY).build())) {
            int longs = 3 << 20; // 24 MiB
            ObjectRef<long[]> ref = weft.task(StoreFns::longs, 1, longs).name("too-big").remote();
            ObjectStoreFullException e = assertThrows(ObjectStoreFullException.class, ref::get);
            assertTrue(e.getMessage().contains("too-big"), e.getMessage());
            assertTrue(e.getMessage().contains(Long.toString(8L * longs)), "names the object size: " + e.getMessage());
            assertTrue(e.getMessage().contains(Long.toString(CAPACITY)), "names the capacity: " + e.getMessage());

            // the node keeps working
            ObjectRef<long[]> fits = weft.task(StoreFns::longs, 2, 1 << 18).remote();
            assertTrue(StoreFns.isLongs(fits.get(), 2, 1 << 18));
        }
    }

    @Test
    void aPutLargerThanTheStoreFailsAtOnce() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(1, 2).objectStoreBytes(CAPACITY).build())) {
            ObjectStoreFullException e = assertThrows(ObjectStoreFullException.class,
                    () -> weft.put(new byte[(int) CAPACITY + 1]));
            assertTrue(e.getMessage().contains(Long.toString(CAPACITY + 1)), e.getMessage());
            assertEquals(0, runtime(weft).store("node-0").objectCount());
        }
    }

    @Test
    void aResultThatDoesNotFitWhileObjectsArePinnedWaitsUntilTheyAreReleased() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(1, 2).objectStoreBytes(CAPACITY).build())) {
            int rows = 1 << 19; // 4 MiB of longs per batch
            List<ObjectRef<VectorSchemaRoot>> refs = new ArrayList<>();
            List<VectorSchemaRoot> pinned = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                try (VectorSchemaRoot batch = StoreFns.batch(i, rows)) {
                    refs.add(weft.put(batch));
                }
                pinned.add(refs.get(i).get()); // a zero-copy root pins its object: it can't be spilled
            }
            NodeObjectStore store = runtime(weft).store("node-0");
            assertTrue(store.stats().pinnedBytes() > 12L << 20);

            ObjectRef<long[]> waiting = weft.task(StoreFns::longs, 9, 6 << 17).remote(); // 6 MiB: no room now
            assertThrows(GetTimeoutException.class, () -> waiting.get(Duration.ofMillis(500)),
                    "the result waits for space instead of failing");

            pinned.forEach(VectorSchemaRoot::close); // unpinned: now they can be spilled
            assertTrue(StoreFns.isLongs(waiting.get(), 9, 6 << 17));
            assertTrue(store.stats().totalSpilledCount() > 0);
            for (int i = 0; i < 3; i++) {
                try (VectorSchemaRoot back = refs.get(i).get()) {
                    assertTrue(StoreFns.isBatch(back, i, rows), "batch " + i + " restored intact");
                }
            }
            assertTrue(store.stats().peakUsedBytes() <= CAPACITY);
        }
    }
}
