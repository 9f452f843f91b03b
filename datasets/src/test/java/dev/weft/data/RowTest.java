package dev.weft.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.data.internal.RowSchema;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowTest {
    private static Map<String, Object> map(Object... namesAndValues) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void rowsBuiltWithTheSameNamesHaveSchemasOfTheSameNames() {
        Row a = Row.of("id", 1L, "name", "a");
        Row b = Row.of("id", 2L, "name", "b");
        assertTrue(RowSchema.of(a).sameNames(RowSchema.of(b)));
        Row c = Row.of(map("id", 3L, "name", "c"));
        assertTrue(RowSchema.of(a).sameNames(RowSchema.of(c)));
        assertFalse(RowSchema.of(a).sameNames(RowSchema.of(Row.of("name", "a", "id", 1L))));
        assertEquals(List.of("id", "name"), List.copyOf(c.columns()));
    }

    @Test
    void wideRowsFindEveryColumn() {
        Object[] pairs = new Object[40];
        for (int i = 0; i < 20; i++) {
            pairs[2 * i] = "c" + i;
            pairs[2 * i + 1] = (long) i;
        }
        Row r = Row.of(pairs);
        for (int i = 0; i < 20; i++) {
            assertEquals(i, r.getLong("c" + i));
        }
        assertThrows(IllegalArgumentException.class, () -> r.get("c20"));
        assertTrue(r.columns().contains("c19"));
        assertEquals(Row.of(pairs), r.with("c3", 3L));
        pairs[38] = "c0";
        assertEquals(19, Row.of(pairs).columns().size(), "a repeated name keeps one column");
    }

    @Test
    void rowsOfOneSchemaHoldTheirOwnValues() {
        RowSchema schema = RowSchema.of(new String[] {"x", "s"});
        Row r1 = schema.row(new Object[] {1.5, "p"});
        Row r2 = schema.row(new Object[] {2.5, null});
        assertEquals(1.5, r1.getDouble("x"));
        assertEquals("p", r1.getString("s"));
        assertEquals(2.5, r2.getDouble("x"));
        assertTrue(r2.isNull("s"));
        assertEquals(Row.of("x", 2.5, "s", null), r2);
    }

    @Test
    void rowEqualsTheRowBuiltFromTheSameMapWhateverTheSchemaObject() {
        RowSchema schema = RowSchema.of(new String[] {"id", "bytes", "name"});
        Row shared = schema.row(new Object[] {7L, new byte[] {1, 2}, "n"});
        Row fromMap = Row.of(map("id", 7L, "bytes", new byte[] {1, 2}, "name", "n"));
        Row reordered = Row.of(map("name", "n", "id", 7L, "bytes", new byte[] {1, 2}));
        assertEquals(fromMap, shared);
        assertEquals(shared, fromMap);
        assertEquals(fromMap.hashCode(), shared.hashCode());
        assertEquals(shared, reordered, "rows are equal when their columns and values are, as maps are");
        assertEquals(shared.hashCode(), reordered.hashCode());
        assertNotEquals(shared, Row.of(map("id", 7L, "bytes", new byte[] {1, 3}, "name", "n")));
        assertNotEquals(shared, Row.of(map("id", 7L, "bytes", new byte[] {1, 2}, "other", "n")));
        assertNotEquals(shared, Row.of(map("id", 7L, "bytes", new byte[] {1, 2})));
        assertEquals(map("id", 7L, "name", "n"), Row.of("id", 7L, "name", "n").asMap());
        assertEquals("{id=7, bytes=<2 bytes>, name=n}", shared.toString());
    }

    @Test
    void nullValuesAreKeptAndTypedGettersRefuseThem() {
        Row r = Row.of("a", null, "b", 1);
        assertNull(r.get("a"));
        assertTrue(r.isNull("a"));
        assertNull(r.getString("a"));
        assertTrue(r.asMap().containsKey("a"));
        assertNull(r.asMap().get("a"));
        assertEquals(1, r.getInt("b"));
        NullPointerException e = assertThrows(NullPointerException.class, () -> r.getLong("a"));
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
        assertEquals(r, Row.of(map("a", null, "b", 1)));
        assertNotEquals(r, Row.of("a", 0, "b", 1));
        assertEquals("{a=null, b=1}", r.toString());
    }

    @Test
    void missingColumnFailsNamingItAndTheRowsColumns() {
        Row r = RowSchema.of(new String[] {"x", "y"}).row(new Object[] {1, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.get("z"));
        assertEquals("row has no column 'z'; columns: [x, y]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.getDouble("z"));
        assertFalse(r.asMap().containsKey("z"));
        assertNull(r.asMap().get("z"));
    }

    @Test
    void namesFoundByValueNotOnlyByIdentity() {
        Row r = Row.of("column", 5L);
        String sameName = new String("column".toCharArray());
        assertEquals(5L, r.getLong(sameName));
    }

    @Test
    void repeatedNameKeepsItsFirstPositionAndLastValue() {
        Row r = Row.of("a", 1, "b", 2, "a", 3);
        assertEquals(List.of("a", "b"), List.copyOf(r.columns()));
        assertEquals(3, r.get("a"));
        assertThrows(IllegalArgumentException.class, () -> Row.of("a", 1, "b"));
        assertThrows(IllegalArgumentException.class, () -> Row.of("a", 1, 2, 3));
    }

    @Test
    void withReplacesOrAppendsAndLeavesTheOriginalAlone() {
        Row r = Row.of("a", 1, "b", 2);
        Row replaced = r.with("a", 10);
        Row added = r.with("c", 3);
        assertEquals(Row.of("a", 10, "b", 2), replaced);
        assertEquals(Row.of("a", 1, "b", 2, "c", 3), added);
        assertEquals(Row.of("a", 1, "b", 2), r);
        assertSame(RowSchema.of(added), RowSchema.of(RowSchema.of(r).row(new Object[] {5, 6}).with("c", 7)),
                "appending the same column to rows of one schema reuses the extended schema");
    }

    @Test
    void rowIsImmutable() {
        Map<String, Object> source = new HashMap<>(Map.of("a", 1));
        Row r = Row.of(source);
        source.put("a", 2);
        assertEquals(1, r.get("a"));
        assertThrows(UnsupportedOperationException.class, () -> r.asMap().put("a", 3));
        assertThrows(UnsupportedOperationException.class, () -> r.columns().remove("a"));
    }
}
