package dev.weft.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.store.internal.DefaultObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ZeroCopyArrowTest {
    private static final int ROWS = 10_000;

    private static VectorSchemaRoot batch(BufferAllocator allocator) {
        BigIntVector id = new BigIntVector("id", allocator);
        Float8Vector x = new Float8Vector("x", allocator);
        VarCharVector s = new VarCharVector("s", allocator);
        ListVector list = ListVector.empty("l", allocator);
        id.allocateNew(ROWS);
        x.allocateNew(ROWS);
        s.allocateNew(ROWS * 8L, ROWS);
        UnionListWriter w = list.getWriter();
        for (int i = 0; i < ROWS; i++) {
            id.set(i, i * 3L);
            if (i % 7 == 0) {
                x.setNull(i);
            } else {
                x.set(i, i / 2.0);
            }
            s.setSafe(i, ("row" + i).getBytes(StandardCharsets.UTF_8));
            w.setPosition(i);
            w.startList();
            w.bigInt().writeBigInt(i);
            w.bigInt().writeBigInt(-i);
            w.endList();
        }
        w.setValueCount(ROWS);
        VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(id, x, s, list));
        root.setRowCount(ROWS);
        return root;
    }

    @ParameterizedTest
    @EnumSource(MemoryBackend.class)
    void getReturnsVectorsWhoseBuffersSliceTheStoredBuffer(MemoryBackend backend) {
        try (RootAllocator producer = new RootAllocator();
             DefaultObjectStore store = (DefaultObjectStore) ObjectStore.create(StoreConfig.builder().name("zc")
                     .capacityBytes(16 << 20).memoryBackend(backend).putTimeout(Duration.ofSeconds(5)).build())) {
            ObjectId id = ObjectId.of("batch");
            try (VectorSchemaRoot source = batch(producer)) {
                ObjectInfo info = store.put(id, ObjectSource.arrow(source), PutOptions.primary("task"));
                assertEquals(Encoding.ARROW_IPC, info.encoding());
            }
            BufferAllocator objects = store.objectAllocator();
            long storedBytes = objects.getAllocatedMemory();
            BufferAllocator views = objects.getRoot().getChildAllocators().stream()
                    .filter(a -> a.getName().endsWith("-views")).findFirst().orElseThrow();

            try (ObjectView view = store.get(id).orElseThrow()) {
                long start = view.asSegment().address();
                long end = start + view.asSegment().byteSize();
                VectorSchemaRoot root = view.asArrow();
                VectorSchemaRoot second = view.asArrow();
                // No column data was allocated or copied: both allocators hold what they held before.
                assertEquals(storedBytes, objects.getAllocatedMemory());
                assertEquals(0, views.getAllocatedMemory());
                assertEquals(0, views.getPeakMemoryAllocation());
                // Every buffer of every vector lies inside the stored object's memory.
                for (FieldVector v : root.getFieldVectors()) {
                    assertInside(v, start, end);
                }
                assertEquals(ROWS, root.getRowCount());
                BigIntVector idv = (BigIntVector) root.getVector("id");
                Float8Vector xv = (Float8Vector) root.getVector("x");
                VarCharVector sv = (VarCharVector) root.getVector("s");
                ListVector lv = (ListVector) root.getVector("l");
                for (int i = 0; i < ROWS; i++) {
                    assertEquals(i * 3L, idv.get(i));
                    if (i % 7 == 0) {
                        assertTrue(xv.isNull(i));
                    } else {
                        assertEquals(i / 2.0, xv.get(i));
                    }
                    assertEquals("row" + i, new String(sv.get(i), StandardCharsets.UTF_8));
                    assertEquals(List.of((long) i, (long) -i), lv.getObject(i));
                }
                assertEquals(root.getVector("id").getDataBuffer().memoryAddress(),
                        second.getVector("id").getDataBuffer().memoryAddress());
                second.close();
                // The object is pinned while the view is open: it is not freed by delete.
                assertTrue(store.delete(id));
                assertEquals(storedBytes, objects.getAllocatedMemory());
                assertEquals(ROWS, root.getRowCount());
                assertEquals(3L, idv.get(1));
            }
            assertEquals(0, objects.getAllocatedMemory());
            assertEquals(0, views.getAllocatedMemory());
        }
    }

    private static void assertInside(FieldVector v, long start, long end) {
        for (ArrowBuf b : v.getFieldBuffers()) {
            if (b.capacity() == 0) {
                continue;
            }
            assertTrue(b.memoryAddress() >= start && b.memoryAddress() + b.capacity() <= end,
                    v.getName() + " buffer at " + b.memoryAddress() + "+" + b.capacity() + " outside [" + start + ", " + end + ")");
        }
        for (FieldVector child : v.getChildrenFromFields()) {
            assertInside(child, start, end);
        }
    }

    /**
     * Slicing a view at a row that is not a multiple of 8 copies the validity bitmaps into the view's allocator
     * (Arrow cannot share them). Readers may hold many such slices of a small store at once; that must not fail
     * (it did when views had a fixed headroom of max(1 MiB, capacity / 8)), and closing them gives it all back.
     */
    @ParameterizedTest
    @EnumSource(MemoryBackend.class)
    void unalignedSlicesOfViewsMayHoldMoreThanTheStoreCapacity(MemoryBackend backend) {
        try (RootAllocator producer = new RootAllocator();
             DefaultObjectStore store = (DefaultObjectStore) ObjectStore.create(StoreConfig.builder().name("slices")
                     .capacityBytes(2 << 20).memoryBackend(backend).putTimeout(Duration.ofSeconds(5)).build())) {
            ObjectId id = ObjectId.of("batch");
            try (VectorSchemaRoot source = batch(producer)) {
                store.put(id, ObjectSource.arrow(source), PutOptions.primary("task"));
            }
            BufferAllocator views = store.objectAllocator().getRoot().getChildAllocators().stream()
                    .filter(a -> a.getName().endsWith("-views")).findFirst().orElseThrow();
            List<VectorSchemaRoot> slices = new java.util.ArrayList<>();
            try (ObjectView view = store.get(id).orElseThrow()) {
                VectorSchemaRoot root = view.asArrow();
                for (int i = 0; views.getAllocatedMemory() <= 4L << 20; i++) {
                    int start = 1 + (i % 997) * 7;
                    VectorSchemaRoot slice = root.slice(start, ROWS - start);
                    slices.add(slice);
                    assertEquals(start * 3L, ((BigIntVector) slice.getVector("id")).get(0));
                }
                slices.forEach(VectorSchemaRoot::close);
            }
            assertEquals(0, views.getAllocatedMemory());
            assertTrue(store.delete(id));
            assertEquals(0, store.objectAllocator().getAllocatedMemory());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Encoding.class, names = "ARROW_IPC")
    void dictionaryEncodedColumnsAreRejectedNamingTheColumn(Encoding ignored) {
        try (RootAllocator a = new RootAllocator();
             ObjectStore store = ObjectStore.create(StoreConfig.builder().capacityBytes(1 << 20).build())) {
            var field = new org.apache.arrow.vector.types.pojo.Field("d",
                    new org.apache.arrow.vector.types.pojo.FieldType(false, new org.apache.arrow.vector.types.pojo.ArrowType.Int(32, true),
                            new org.apache.arrow.vector.types.pojo.DictionaryEncoding(1, false, null)), null);
            try (VectorSchemaRoot root = VectorSchemaRoot.create(new org.apache.arrow.vector.types.pojo.Schema(List.of(field)), a)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> store.put(ObjectId.of("d"), ObjectSource.arrow(root), PutOptions.primary("o")));
                assertTrue(e.getMessage().contains("'d'"), e.getMessage());
            }
            assertNull(store.info(ObjectId.of("d")).orElse(null));
        }
    }
}
