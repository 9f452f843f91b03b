package dev.weft.data.internal.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.WeftException;
import dev.weft.data.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RowBatchBuilderTest {
    private BufferAllocator allocator;

    @BeforeEach
    void open() {
        allocator = DataAllocators.child("row-batch-builder-test");
    }

    @AfterEach
    void close() {
        assertEquals(0, allocator.getAllocatedMemory(), allocator.toVerboseString());
        allocator.close();
    }

    /** Builds {@code n} rows with the builder and checks the batch equals fromRows over the same rows. */
    private void check(int n, IntFunction<Row> row) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(row.apply(i));
        }
        VectorSchemaRoot result;
        try (RowBatchBuilder b = new RowBatchBuilder(allocator, "test", null, 100)) {
            rows.forEach(b::add);
            result = b.finish();
        }
        try (VectorSchemaRoot built = result;
             VectorSchemaRoot reference = RowBatches.fromRows(rows, allocator, "test", null)) {
            assertEquals(reference.getSchema(), built.getSchema());
            assertEquals(reference.getRowCount(), built.getRowCount());
            assertEquals(RowBatches.toRows(reference), RowBatches.toRows(built));
        }
    }

    @Test
    void rowsOfOneShapeGoStraightIntoColumns() {
        check(5000, i -> Row.of("y", i * 0.5, "us", i % 7 == 0 ? null : "S" + i, "k", (long) i, "i", i));
    }

    @Test
    void stringsMixAsciiAndOtherCharactersRowByRow() {
        // ASCII values take the direct path, the others the UTF-8 encoder, in any order
        check(4000, i -> Row.of("s", i % 3 == 0 ? "é" + i + "✓" : i % 3 == 1 ? "a" + i : "", "k", (long) i));
    }

    @Test
    void fewRowsGoThroughTheGeneralPath() {
        check(10, i -> Row.of("y", i * 0.5, "b", i % 2 == 0));
    }

    @Test
    void aColumnNullForItsFirstRowsWaitsForItsType() {
        check(3500, i -> Row.of("late", i < 2100 ? null : (long) i, "s", "v" + i));
    }

    @Test
    void aRowOfOtherColumnsAfterTheColumnsWereFixedFallsBackToNames() {
        check(3000, i -> i == 2500 ? Row.of("extra", 1.5, "x", 7L) : Row.of("x", (long) i, "s", "s" + i));
        check(3000, i -> i % 2 == 0 ? Row.of("x", (long) i, "s", "s" + i) : Row.of("s", "t" + i, "x", (long) -i));
    }

    @Test
    void aValueOfAnotherTypeFailsNamingTheColumnAndRow() {
        try (RowBatchBuilder b = new RowBatchBuilder(allocator, "map[f]", null, 10)) {
            for (int i = 0; i < 2000; i++) {
                b.add(Row.of("n", (long) i));
            }
            WeftException e = assertThrows(WeftException.class, () -> b.add(Row.of("n", "two")));
            assertTrue(e.getMessage().contains("map[f]") && e.getMessage().contains("'n'")
                    && e.getMessage().contains("row 2000"), e.getMessage());
        }
    }

    @Test
    void noRowsGiveNoBatch() {
        try (RowBatchBuilder b = new RowBatchBuilder(allocator, "test", null, 10)) {
            assertNull(b.finish());
        }
    }
}
