package dev.weft.sql;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.data.Datasets;
import dev.weft.testing.WeftTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@WeftTest
class SqlShellTest {
    @Test
    void multiLineStatementsPrintAlignedTablesWithTimesAndErrorsDoNotEndTheShell(Weft weft) throws Exception {
        WeftCatalog catalog = WeftCatalog.create().register("t", Datasets.fromItems(List.of(
                Map.of("id", 1L, "name", "ann"), Map.of("id", 22L, "name", "bo"), Map.of("id", 3L, "name", "cyrille"))));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SqlShell shell = new SqlShell(catalog, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        shell.run(new StringReader("""
                \\d
                SELECT id, name
                  FROM t
                 ORDER BY id;
                SELECT nope FROM t;
                \\history
                \\q
                SELECT 1;
                """));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("""
                id | name
                ---+--------
                1  | ann
                3  | cyrille
                22 | bo
                (3 rows, """), out);
        assertTrue(out.contains("   -> "), "a continued statement shows the continuation prompt:\n" + out);
        assertTrue(out.contains("error: From line 1, column 8 to line 1, column 11: Column 'nope' not found"), out);
        assertTrue(out.contains("1  SELECT id, name   FROM t  ORDER BY id"), out);
        assertTrue(!out.contains("EXPR$0"), "the shell stops at \\q:\n" + out);
    }
}
