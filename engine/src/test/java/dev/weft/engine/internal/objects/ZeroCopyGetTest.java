package dev.weft.engine.internal.objects;

import static dev.weft.engine.internal.objects.StoreFns.runtime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ObjectRef;
import dev.weft.api.SchedulingStrategy;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.store.CopyKind;
import dev.weft.store.StoreStats;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/** {@code get} of an Arrow object returns roots that slice the stored buffer, pinned until closed. */
class ZeroCopyGetTest {
    private static final int ROWS = 1 << 17; // 1 MiB of longs

    @Test
    void getOnTheHoldingNodeSlicesTheStoredBufferAndPinsItUntilClosed() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(1, 2).objectStoreBytes(64L << 20).build());
             VectorSchemaRoot source = StoreFns.batch(3, ROWS)) {
            ObjectRef<VectorSchemaRoot> ref = weft.put(source);
            long id = ObjectIds.parse(ref.id());
            NodeObjectStore store = runtime(weft).store("node-0");
            long[] stored = store.read(id, v -> new long[] {v.asSegment().address(), v.asSegment().byteSize()})
                    .orElseThrow();
            StoreStats before = store.stats();

            try (VectorSchemaRoot a = ref.get(); VectorSchemaRoot b = ref.get()) {
                long addressA = a.getVector(0).getDataBuffer().memoryAddress();
                long addressB = b.getVector(0).getDataBuffer().memoryAddress();
                assertTrue(addressA >= stored[0] && addressA + 8L * ROWS <= stored[0] + stored[1],
                        "column data at 0x" + Long.toHexString(addressA) + " lies inside the stored object at 0x"
                                + Long.toHexString(stored[0]) + " (" + stored[1] + " bytes)");
                assertEquals(addressA, addressB, "both roots slice the same stored buffer");
                assertTrue(StoreFns.isBatch(a, 3, ROWS) && StoreFns.isBatch(b, 3, ROWS));

                StoreStats open = store.stats();
                assertEquals(before.usedBytes(), open.usedBytes(), "reading allocated nothing in the store");
                assertEquals(stored[1], open.pinnedBytes(), "the object is pinned while roots are open");
                assertEquals(2, store.info(id).orElseThrow().pinCount());
            }
            assertEquals(0, store.info(id).orElseThrow().pinCount(), "closing the roots unpins the object");
            assertEquals(0, store.stats().pinnedBytes());

            ref.close();
            Poll.until("the freed object leaves the store", () -> store.objectCount() == 0);
            assertEquals(0, store.usedBytes());
        }
    }

    @Test
    void aBatchWhoseBuffersFitInlineButWhoseIpcImageDoesNotIsStillReadable() {
        // 12,600 longs: data and validity buffers 102,375 bytes, under the 100 KiB inline limit; the IPC image
        // adds schema and framing and is over it, so the value is stored, and must be stored in Arrow layout.
        int rows = 12_600;
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(1, 2).objectStoreBytes(64L << 20).build());
             VectorSchemaRoot source = StoreFns.batch(11, rows)) {
            ObjectRef<VectorSchemaRoot> ref = weft.put(source);
            try (VectorSchemaRoot back = ref.get()) {
                assertTrue(StoreFns.isBatch(back, 11, rows), "the batch reads back with its values");
            }
            ref.close();
        }
    }

    @Test
    void taskArgumentsAreZeroCopyAndUnpinnedAfterTheCall() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(1, 2).objectStoreBytes(64L << 20).build());
             VectorSchemaRoot source = StoreFns.batch(5, ROWS)) {
            ObjectRef<VectorSchemaRoot> ref = weft.put(source);
            long id = ObjectIds.parse(ref.id());
            NodeObjectStore store = runtime(weft).store("node-0");
            long expected = StoreFns.sumBatch(source);
            for (int i = 0; i < 3; i++) {
                assertEquals(expected, weft.task(StoreFns::sumBatch, ref).remote().get());
            }
            Poll.until("argument roots are closed after their calls",
                    () -> store.info(id).orElseThrow().pinCount() == 0);
            assertEquals(1, store.objectCount(), "the argument was read in place, not copied on its own node");
            ref.close();
            Poll.until("the freed object leaves the store", () -> store.objectCount() == 0);
        }
    }

    @Test
    void aReadOnAnotherNodeCopiesTheImageOnceAsASecondaryAndSlicesThatCopy() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(2, 2).objectStoreBytes(64L << 20).build());
             VectorSchemaRoot source = StoreFns.batch(7, ROWS)) {
            ObjectRef<VectorSchemaRoot> ref = weft.put(source); // the driver lives on node-0
            long id = ObjectIds.parse(ref.id());
            NodeObjectStore holder = runtime(weft).store("node-0");
            NodeObjectStore reader = runtime(weft).store("node-1");
            long expected = StoreFns.sumBatch(source);

            for (int i = 0; i < 2; i++) {
                long sum = weft.task(StoreFns::sumBatch, ref)
                        .schedulingStrategy(SchedulingStrategy.nodeAffinity("node-1", false)).remote().get();
                assertEquals(expected, sum);
            }
            assertEquals(CopyKind.PRIMARY, holder.info(id).orElseThrow().copyKind());
            assertEquals(CopyKind.SECONDARY, reader.info(id).orElseThrow().copyKind(),
                    "node-1 keeps the fetched image as a secondary copy");
            assertEquals(holder.info(id).orElseThrow().sizeBytes(), reader.info(id).orElseThrow().sizeBytes());

            ref.close();
            Poll.until("the primary and the secondary copy are both freed",
                    () -> holder.objectCount() == 0 && reader.objectCount() == 0);
        }
    }
}
