package dev.weft.data.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.data.CloseableIterator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RebatcherTest {
    private BufferAllocator allocator;
    private long next;

    @BeforeEach
    void open() {
        allocator = new RootAllocator();
    }

    @AfterEach
    void close() {
        assertEquals(0, allocator.getAllocatedMemory(), allocator.toVerboseString());
        allocator.close();
    }

    /** A batch of {@code n} rows numbered on from the last one made, as a long and as a string (every 5th null). */
    private VectorSchemaRoot batch(int n) {
        BigIntVector id = new BigIntVector("id", allocator);
        VarCharVector s = new VarCharVector("s", allocator);
        id.allocateNew(n);
        s.allocateNew(n);
        for (int i = 0; i < n; i++) {
            long v = next++;
            id.set(i, v);
            if (v % 5 != 0) {
                s.setSafe(i, ("v" + v).getBytes(StandardCharsets.UTF_8));
            }
        }
        id.setValueCount(n);
        s.setValueCount(n);
        return new VectorSchemaRoot(List.of(id, s));
    }

    /** The sizes of the batches the rebatcher cuts from input batches of {@code sizes}; checks every row's order. */
    private List<Integer> cut(int batchSize, int... sizes) {
        long expected = next;
        List<VectorSchemaRoot> in = new ArrayList<>();
        for (int n : sizes) {
            in.add(batch(n));
        }
        List<Integer> out = new ArrayList<>();
        try (CloseableIterator<VectorSchemaRoot> it = new Rebatcher(Iterators.of(in), batchSize, allocator)) {
            while (it.hasNext()) {
                try (VectorSchemaRoot b = it.next()) {
                    out.add(b.getRowCount());
                    BigIntVector id = (BigIntVector) b.getVector("id");
                    VarCharVector s = (VarCharVector) b.getVector("s");
                    for (int i = 0; i < b.getRowCount(); i++, expected++) {
                        assertEquals(expected, id.get(i));
                        assertEquals(expected % 5 == 0 ? null : "v" + expected,
                                s.isNull(i) ? null : new String(s.get(i), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        assertEquals(next, expected, "every row comes out once");
        return out;
    }

    @Test
    void cutsLargeBatchesAndJoinsSmallOnesIntoExactSizes() {
        assertEquals(List.of(8, 8, 8, 8, 8, 6), cut(8, 10, 3, 25, 1, 0, 7));
    }

    @Test
    void aBatchMuchLargerThanTheSizeIsCutIntoManyPieces() {
        assertEquals(List.of(7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 2), cut(7, 100));
        assertEquals(List.of(4096, 4096, 1808), cut(4096, 3000, 7000));
    }

    @Test
    void batchesOfExactlyTheSizePassThrough() {
        assertEquals(List.of(5, 5, 5), cut(5, 5, 5, 5));
    }

    @Test
    void closingEarlyReleasesWhatWasPending() {
        List<VectorSchemaRoot> in = new ArrayList<>(List.of(batch(50), batch(3)));
        try (CloseableIterator<VectorSchemaRoot> it = new Rebatcher(Iterators.of(in), 16, allocator)) {
            it.next().close();
        }
    }
}
