package dev.weft.data.internal.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SelectedRunsTest {
    private BufferAllocator allocator;

    @BeforeEach
    void open() {
        allocator = DataAllocators.child("selected-runs-test");
    }

    @AfterEach
    void close() {
        assertEquals(0, allocator.getAllocatedMemory(), allocator.toVerboseString());
        allocator.close();
    }

    /**
     * k int64 (every 7th null), x float64 (no nulls), i int32 (every 5th null), s utf8 (every 3rd null), b bool,
     * h int16 (every 11th null; copied by runs).
     */
    private VectorSchemaRoot batch(int rows) {
        BigIntVector k = new BigIntVector("k", allocator);
        Float8Vector x = new Float8Vector("x", allocator);
        IntVector i = new IntVector("i", allocator);
        VarCharVector s = new VarCharVector("s", allocator);
        BitVector b = new BitVector("b", allocator);
        SmallIntVector h = new SmallIntVector("h", allocator);
        h.allocateNew(rows);
        k.allocateNew(rows);
        x.allocateNew(rows);
        i.allocateNew(rows);
        s.allocateNew(rows);
        b.allocateNew(rows);
        for (int r = 0; r < rows; r++) {
            if (r % 7 != 3) {
                k.set(r, 1000L + r);
            }
            x.set(r, r * 0.25);
            if (r % 5 != 1) {
                i.set(r, -r);
            }
            if (r % 3 != 2) {
                s.setSafe(r, ("v" + r).getBytes(StandardCharsets.UTF_8));
            }
            b.set(r, r % 2);
            if (r % 11 != 4) {
                h.set(r, (short) (r % 3000));
            }
        }
        h.setValueCount(rows);
        VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(k, x, i, s, b, h));
        root.setRowCount(rows);
        return root;
    }

    /** A mask true where {@code selected} holds, null where {@code isNull} holds (a null never selects). */
    private BitVector mask(int rows, IntPredicate selected, IntPredicate isNull) {
        BitVector m = new BitVector("mask", allocator);
        m.allocateNew(rows);
        for (int r = 0; r < rows; r++) {
            if (isNull.test(r)) {
                m.setNull(r);
            } else {
                m.set(r, selected.test(r) ? 1 : 0);
            }
        }
        m.setValueCount(rows);
        return m;
    }

    /** Each column of {@code root} as Java objects, row by row (nulls as null). */
    private static List<List<Object>> columns(VectorSchemaRoot root) {
        List<List<Object>> out = new ArrayList<>();
        for (FieldVector v : root.getFieldVectors()) {
            List<Object> col = new ArrayList<>();
            for (int r = 0; r < root.getRowCount(); r++) {
                col.add(RowBatches.value(v, r));
            }
            out.add(col);
        }
        return out;
    }

    /** Checks the run copy against picking the rows one by one with a plain loop. */
    private void check(int rows, IntPredicate selected, IntPredicate isNull) {
        try (VectorSchemaRoot root = batch(rows); BitVector mask = mask(rows, selected, isNull)) {
            List<Integer> expectedRows = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                if (!isNull.test(r) && selected.test(r)) {
                    expectedRows.add(r);
                }
            }
            List<List<Object>> all = columns(root);
            List<List<Object>> expected = new ArrayList<>();
            for (List<Object> col : all) {
                expected.add(expectedRows.stream().map(col::get).toList());
            }
            SelectedRuns runs = SelectedRuns.of(mask, rows);
            assertEquals(expectedRows.size(), runs.selected());
            assertArrayEquals(expectedRows.stream().mapToInt(Integer::intValue).toArray(), runs.indices());
            int covered = 0;
            for (int r = 0; r < runs.runs(); r++) {
                covered += runs.runLength(r);
                if (r > 0) {
                    assertEquals(true, runs.runStart(r) > runs.runStart(r - 1) + runs.runLength(r - 1),
                            "runs are maximal: a gap separates run " + r + " from the one before");
                }
            }
            assertEquals(expectedRows.size(), covered);
            try (VectorSchemaRoot out = runs.copy(root, allocator)) {
                assertEquals(expectedRows.size(), out.getRowCount());
                assertEquals(expected, columns(out));
                for (FieldVector v : out.getFieldVectors()) {
                    long nulls = expected.get(out.getFieldVectors().indexOf(v)).stream().filter(o -> o == null).count();
                    assertEquals(nulls, v.getNullCount(), "null count of " + v.getName());
                }
            }
            try (VectorSchemaRoot out = Batches.filter(root, mask, allocator)) {
                assertEquals(expected, columns(out));
            }
        }
    }

    @Test
    void allSelected() {
        check(1000, r -> true, r -> false);
        check(128, r -> true, r -> false);
    }

    @Test
    void noneSelected() {
        check(1000, r -> false, r -> false);
        check(1000, r -> true, r -> true);
    }

    @Test
    void alternatingRows() {
        check(1000, r -> r % 2 == 0, r -> false);
        check(999, r -> r % 2 == 1, r -> false);
    }

    @Test
    void runsCrossingWordBoundaries() {
        // Runs over bits 60..70, 120..200 (two boundaries), 255..256, and the last bit of an odd-sized batch.
        check(1001, r -> (r >= 60 && r < 71) || (r >= 120 && r <= 200) || r == 255 || r == 256 || r == 1000,
                r -> false);
        check(64 * 5, r -> r >= 63, r -> false);
        check(130, r -> r < 65 || r == 129, r -> false);
    }

    @Test
    void batchesLargerThanOneHeapChunk() {
        SplittableRandom rng = new SplittableRandom(3);
        boolean[] sel = new boolean[10_007];
        for (int r = 0; r < sel.length; r++) {
            sel[r] = r >= 4000 && r < 4200 || (r >= 8192 && r < 8256) || rng.nextBoolean();
        }
        check(sel.length, r -> sel[r], r -> r % 13 == 0);
        check(8192, r -> r >= 4090 && r < 4100, r -> false);
    }

    @Test
    void nullsInTheMaskNeverSelect() {
        check(777, r -> r % 4 != 0, r -> r % 9 == 0);
        check(300, r -> true, r -> r >= 62 && r < 67);
    }

    @Test
    void randomMasksMatchTheReference() {
        SplittableRandom rng = new SplittableRandom(42);
        for (int t = 0; t < 30; t++) {
            int rows = 1 + rng.nextInt(700);
            double density = rng.nextDouble();
            boolean[] sel = new boolean[rows];
            boolean[] nul = new boolean[rows];
            // Runs of random length, so both the short-run and the bulk copy paths are taken.
            int r = 0;
            while (r < rows) {
                int len = 1 + rng.nextInt(rng.nextBoolean() ? 4 : 40);
                boolean on = rng.nextDouble() < density;
                for (int i = r; i < Math.min(rows, r + len); i++) {
                    sel[i] = on;
                    nul[i] = rng.nextInt(50) == 0;
                }
                r += len;
            }
            check(rows, i -> sel[i], i -> nul[i]);
        }
    }
}
