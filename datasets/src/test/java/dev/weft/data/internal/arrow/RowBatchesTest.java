package dev.weft.data.internal.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.WeftException;
import dev.weft.data.Row;
import dev.weft.data.internal.RowSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RowBatchesTest {
    private BufferAllocator allocator;

    @BeforeEach
    void open() {
        allocator = DataAllocators.child("row-batches-test");
    }

    @AfterEach
    void close() {
        allocator.close();
    }

    private static Map<String, Object> map(Object... namesAndValues) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    /** x float64, k int64, i int32, s utf8 (with non-ASCII and empty strings), a null in every column. */
    private VectorSchemaRoot batch() {
        Float8Vector x = new Float8Vector("x", allocator);
        BigIntVector k = new BigIntVector("k", allocator);
        IntVector i = new IntVector("i", allocator);
        VarCharVector s = new VarCharVector("s", allocator);
        String[] strings = {"abc", null, "", "héllo ✓", "z"};
        x.allocateNew(5);
        k.allocateNew(5);
        i.allocateNew(5);
        s.allocateNew(5);
        for (int r = 0; r < 5; r++) {
            if (r != 2) {
                x.set(r, r + 0.5);
            }
            if (r != 0) {
                k.set(r, 100L * r);
            }
            if (r != 4) {
                i.set(r, -r);
            }
            if (strings[r] != null) {
                s.setSafe(r, strings[r].getBytes(StandardCharsets.UTF_8));
            }
        }
        VectorSchemaRoot root = new VectorSchemaRoot(List.of(x, k, i, s));
        root.setRowCount(5);
        return root;
    }

    @Test
    void toRowsGivesTheValuesOfEachRowUnderOneSharedSchema() {
        List<Row> rows;
        try (VectorSchemaRoot root = batch()) {
            rows = RowBatches.toRows(root);
        }
        assertEquals(5, rows.size());
        for (Row r : rows) {
            assertSame(RowSchema.of(rows.getFirst()), RowSchema.of(r));
        }
        assertEquals(Row.of(map("x", 0.5, "k", null, "i", 0, "s", "abc")), rows.get(0));
        assertEquals(Row.of(map("x", 1.5, "k", 100L, "i", -1, "s", null)), rows.get(1));
        assertEquals(Row.of(map("x", null, "k", 200L, "i", -2, "s", "")), rows.get(2));
        assertEquals(Row.of(map("x", 3.5, "k", 300L, "i", -3, "s", "héllo ✓")), rows.get(3));
        assertEquals(Row.of(map("x", 4.5, "k", 400L, "i", null, "s", "z")), rows.get(4));
    }

    @Test
    void toRowsOfASliceReadsTheSlicesStrings() {
        try (VectorSchemaRoot root = batch(); VectorSchemaRoot slice = root.slice(3, 2)) {
            List<Row> rows = RowBatches.toRows(slice);
            assertEquals(List.of("héllo ✓", "z"), rows.stream().map(r -> r.getString("s")).toList());
        }
    }

    @Test
    void rowsRoundTripThroughABatch() {
        List<Row> rows;
        try (VectorSchemaRoot root = batch()) {
            rows = RowBatches.toRows(root);
            try (VectorSchemaRoot back = RowBatches.fromRows(rows, allocator, "test", null)) {
                assertEquals(root.getSchema().getFields().stream().map(Field::getType).toList(),
                        back.getSchema().getFields().stream().map(Field::getType).toList());
                assertEquals(root.contentToTSVString(), back.contentToTSVString());
            }
        }
    }

    @Test
    void stringsOfEveryLengthAndNullsRoundTripThroughTheWriters() {
        // Short values are staged on the heap and copied in bulk; long ones go straight into the buffer, which
        // grows past its first size; nulls and non-ASCII text sit between them.
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 3000; r++) {
            String s = switch (r % 7) {
                case 0 -> null;
                case 1 -> "x".repeat(40_000 + r);
                case 2 -> "é✓" + r;
                case 3 -> "";
                default -> "v" + r;
            };
            rows.add(Row.of("s", s, "k", r % 11 == 0 ? null : (long) r, "d", r * 0.5));
        }
        try (VectorSchemaRoot root = RowBatches.fromRows(rows, allocator, "test", null)) {
            assertEquals(rows, RowBatches.toRows(root));
        }
    }

    @Test
    void fromRowsOfSharedSchemaTypesEachColumnFromItsFirstNonNullValue() {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 100; r++) {
            rows.add(Row.of("y", r < 50 ? null : (double) r, "us", r == 0 ? null : "v" + r));
        }
        try (VectorSchemaRoot root = RowBatches.fromRows(rows, allocator, "test", null)) {
            assertEquals(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE),
                    root.getSchema().findField("y").getType());
            assertEquals(ArrowType.Utf8.INSTANCE, root.getSchema().findField("us").getType());
            assertEquals(100, root.getRowCount());
            assertEquals(rows, RowBatches.toRows(root));
        }
    }

    @Test
    void fromRowsOfDifferentSchemasFindsColumnsByName() {
        List<Row> rows = List.of(
                Row.of("a", 1L, "b", null),
                Row.of("b", "x", "a", 2L),
                Row.of("a", 3L),
                Row.of("c", 1.5));
        Schema hint = new Schema(List.of());
        try (VectorSchemaRoot root = RowBatches.fromRows(rows, allocator, "test", hint)) {
            assertEquals(List.of("a", "b", "c"), root.getSchema().getFields().stream().map(Field::getName).toList());
            assertEquals(List.of(
                    Row.of("a", 1L, "b", null, "c", null),
                    Row.of("a", 2L, "b", "x", "c", null),
                    Row.of("a", 3L, "b", null, "c", null),
                    Row.of("a", null, "b", null, "c", 1.5)), RowBatches.toRows(root));
        }
    }

    @Test
    void fromRowsFallsBackToNamesWhenALaterRowHasOtherColumns() {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            rows.add(Row.of("a", (long) r, "b", "s" + r));
        }
        rows.add(Row.of("b", "last", "c", 2.5));
        try (VectorSchemaRoot root = RowBatches.fromRows(rows, allocator, "test", null)) {
            assertEquals(List.of("a", "b", "c"), root.getSchema().getFields().stream().map(Field::getName).toList());
            List<Row> back = RowBatches.toRows(root);
            assertEquals(Row.of("a", 3L, "b", "s3", "c", null), back.get(3));
            assertEquals(Row.of("a", null, "b", "last", "c", 2.5), back.get(10));
        }
        assertEquals(0, allocator.getAllocatedMemory());
    }

    @Test
    void toRowsOfARangeGivesThoseRows() {
        try (VectorSchemaRoot root = batch()) {
            List<Row> all = RowBatches.toRows(root);
            RowSchema schema = RowBatches.schemaOf(root);
            assertEquals(all.subList(1, 4), List.of(RowBatches.toRows(root, schema, 1, 4)));
            assertEquals(0, RowBatches.toRows(root, schema, 5, 5).length);
        }
    }

    @Test
    void slicesWithAndWithoutNullsReadEveryValue() {
        // 300 rows, nulls only at rows 70 and 200: slices that miss them skip the validity bits.
        int n = 300;
        BigIntVector k = new BigIntVector("k", allocator);
        VarCharVector s = new VarCharVector("s", allocator);
        k.allocateNew(n);
        s.allocateNew(n);
        for (int r = 0; r < n; r++) {
            if (r != 70 && r != 200) {
                k.set(r, r);
                s.setSafe(r, ("v" + r).getBytes(StandardCharsets.UTF_8));
            }
        }
        try (VectorSchemaRoot root = new VectorSchemaRoot(List.of(k, s))) {
            root.setRowCount(n);
            k.setValueCount(n);
            s.setValueCount(n);
            RowSchema schema = RowBatches.schemaOf(root);
            int[][] ranges = {{0, 70}, {0, 71}, {70, 71}, {71, 200}, {3, 67}, {64, 128}, {65, 199}, {201, 300},
                {0, 300}, {199, 201}};
            for (int[] range : ranges) {
                Row[] rows = RowBatches.toRows(root, schema, range[0], range[1]);
                for (int r = range[0]; r < range[1]; r++) {
                    Row row = rows[r - range[0]];
                    boolean isNull = r == 70 || r == 200;
                    assertEquals(isNull ? null : (long) r, row.get("k"), "k of row " + r + " in " + range[0] + ".." + range[1]);
                    assertEquals(isNull ? null : "v" + r, row.get("s"), "s of row " + r + " in " + range[0] + ".." + range[1]);
                }
            }
            java.lang.foreign.MemorySegment bits = Segments.of(k.getValidityBuffer());
            assertTrue(RowBatches.allSet(bits, 71, 129));
            assertTrue(RowBatches.allSet(bits, 0, 70));
            assertTrue(RowBatches.allSet(bits, 70, 0));
            assertEquals(false, RowBatches.allSet(bits, 0, 71));
            assertEquals(false, RowBatches.allSet(bits, 69, 2));
            assertEquals(false, RowBatches.allSet(bits, 71, 130));
        }
    }

    @Test
    void fromRowsKeepsEveryValueTypeAndNullsAtEitherEnd() {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 3000; r++) {
            boolean edge = r < 2 || r >= 2990;
            rows.add(Row.of("b", edge ? null : r % 2 == 0, "f", edge ? null : (float) r, "bin",
                    edge ? null : new byte[] {(byte) r, 1}, "s", edge ? null : "s" + r + "é", "i", edge ? null : r,
                    "l", edge ? null : (long) r * 3));
        }
        try (VectorSchemaRoot root = RowBatches.fromRows(rows, allocator, "test", null)) {
            assertEquals(List.of(ArrowType.Bool.INSTANCE, new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE),
                    ArrowType.Binary.INSTANCE, ArrowType.Utf8.INSTANCE, new ArrowType.Int(32, true),
                    new ArrowType.Int(64, true)), root.getSchema().getFields().stream().map(Field::getType).toList());
            assertEquals(rows, RowBatches.toRows(root));
            assertEquals(12, root.getVector("s").getNullCount());
        }
    }

    @Test
    void fromRowsTakesAnAllNullColumnsTypeFromTheHint() {
        List<Row> rows = List.of(Row.of("n", null), Row.of("n", null));
        Schema hint = new Schema(List.of(Field.nullable("n", new ArrowType.Int(64, true))));
        try (VectorSchemaRoot root = RowBatches.fromRows(rows, allocator, "test", hint)) {
            assertEquals(new ArrowType.Int(64, true), root.getSchema().findField("n").getType());
            assertEquals(2, root.getVector("n").getNullCount());
        }
        try (VectorSchemaRoot root = RowBatches.fromRows(rows, allocator, "test", null)) {
            assertEquals(ArrowType.Utf8.INSTANCE, root.getSchema().findField("n").getType());
        }
    }

    @Test
    void fromRowsFailsNamingTheOperatorColumnAndRowOnAValueOfAnotherType() {
        List<Row> rows = List.of(Row.of("n", 1L), Row.of("n", "two"));
        WeftException e = assertThrows(WeftException.class,
                () -> RowBatches.fromRows(rows, allocator, "map[f]", null));
        assertTrue(e.getMessage().contains("map[f]") && e.getMessage().contains("'n'")
                && e.getMessage().contains("row 1"), e.getMessage());
        assertEquals(0, allocator.getAllocatedMemory());
    }
}
