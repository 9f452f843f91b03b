package dev.weft.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ErrorType;
import dev.weft.data.Datasets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a user sees for bad SQL: Calcite's message with the position, naming what is at fault. Plans only. */
class ErrorsTest {
    final WeftCatalog catalog = WeftCatalog.create()
            .register("t", Datasets.fromItems(List.of(Map.of("id", 1L, "name", "a"))));

    @Test
    void aSyntaxErrorGivesCalcitesMessageWithLineAndColumn() {
        SqlException e = assertThrows(SqlException.class, () -> WeftSql.query(catalog, "SELECT id,\nFROM t"));
        assertEquals(ErrorType.USER_ERROR, e.errorType());
        assertEquals(2, e.line());
        assertEquals(1, e.column());
        assertTrue(e.getMessage().contains("line 2, column 1"), e.getMessage());
    }

    @Test
    void anUnknownTableIsNamed() {
        SqlException e = assertThrows(SqlException.class, () -> WeftSql.query(catalog, "SELECT id FROM nope"));
        assertTrue(e.getMessage().contains("Object 'nope' not found"), e.getMessage());
        assertEquals(1, e.line());
        assertEquals(16, e.column());
    }

    @Test
    void anUnknownColumnIsNamed() {
        SqlException e = assertThrows(SqlException.class, () -> WeftSql.query(catalog, "SELECT id, zzz FROM t"));
        assertTrue(e.getMessage().contains("Column 'zzz' not found"), e.getMessage());
        assertEquals(12, e.column());
    }

    @Test
    void aTypeErrorNamesTheExpression() {
        SqlException e = assertThrows(SqlException.class, () -> WeftSql.query(catalog, "SELECT name FROM t WHERE id AND TRUE"));
        assertTrue(e.getMessage().contains("Cannot apply 'AND' to arguments of type '<BIGINT> AND <BOOLEAN>'"),
                e.getMessage());
        assertEquals(1, e.line());
        assertEquals(26, e.column());
    }

    @Test
    void aStatementOtherThanAQueryIsNotSupportedYet() {
        SqlException e = assertThrows(SqlException.class, () -> WeftSql.query(catalog, "DELETE FROM t WHERE id = 1"));
        assertTrue(e.getMessage().startsWith("not supported yet: DELETE"), e.getMessage());
    }

    @Test
    void parametersMustAllBeBound() {
        WeftSql.PreparedQuery q = WeftSql.prepare(catalog, "SELECT id FROM t WHERE id > ? AND name = ?");
        assertEquals(2, q.parameterCount());
        assertEquals(List.of("BIGINT", "VARCHAR"), q.parameterTypes());
        SqlException e = assertThrows(SqlException.class, () -> q.bind(1L));
        assertTrue(e.getMessage().contains("2 parameter(s)"), e.getMessage());
        SqlException bad = assertThrows(SqlException.class, () -> q.bind("one", "a"));
        assertTrue(bad.getMessage().startsWith("parameter 1: cannot use one"), bad.getMessage());
    }

    @Test
    void anUnknownFormatIsNamed() {
        SqlException e = assertThrows(SqlException.class,
                () -> WeftCatalog.create().register("x", "orc", List.of("/nowhere"), dev.weft.data.FormatOptions.NONE));
        assertTrue(e.getMessage().contains("format 'orc'"), e.getMessage());
    }
}
