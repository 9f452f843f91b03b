package dev.weft.connectors;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.data.DataContext;
import dev.weft.data.Dataset;
import dev.weft.data.Datasets;
import dev.weft.data.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON arrays and objects become list and struct columns, read into rows and shown. */
class NestedJsonTest {
    static Weft weft;

    @BeforeAll
    static void start() {
        DataContext.setCurrent(DataContext.builder().progressBars(false).build());
        weft = Weft.init(WeftConfig.builder().address("local").nodes(1, 2).build());
    }

    @AfterAll
    static void stop() {
        weft.close();
    }

    @TempDir
    Path dir;

    @Test
    void arraysAndObjectsBecomeListAndStructColumns() throws Exception {
        Path json = dir.resolve("orders.json");
        Files.writeString(json, """
                {"id": 1, "tags": ["a", "b"], "qty": [1, 2, 3], "ship": {"city": "Oslo", "zip": 150, "dims": [1.5, 2]}}
                {"id": 2, "tags": [], "qty": null, "ship": {"city": "Lima"}}
                {"id": 3, "tags": ["c"], "qty": [7], "ship": null, "mixed": [1]}
                {"id": 4, "mixed": "text"}
                """);
        Dataset ds = Datasets.readJson(json.toString());
        Schema s = ds.schema();
        Field tags = s.findField("tags");
        assertEquals(ArrowType.List.INSTANCE, tags.getType());
        assertEquals(ArrowType.Utf8.INSTANCE, tags.getChildren().getFirst().getType());
        assertEquals(new ArrowType.Int(64, true), s.findField("qty").getChildren().getFirst().getType());
        Field ship = s.findField("ship");
        assertEquals(ArrowType.Struct.INSTANCE, ship.getType());
        assertEquals(List.of("city", "zip", "dims"), ship.getChildren().stream().map(Field::getName).toList());
        assertEquals(ArrowType.Utf8.INSTANCE, s.findField("mixed").getType());

        List<Row> rows = ds.sort("id").takeAll();
        assertEquals(List.of("a", "b"), rows.getFirst().getList("tags"));
        assertEquals(List.of(1L, 2L, 3L), rows.getFirst().getList("qty"));
        Map<String, Object> oslo = rows.getFirst().getStruct("ship");
        assertEquals("Oslo", oslo.get("city"));
        assertEquals(150L, oslo.get("zip"));
        assertEquals(List.of(1.5, 2.0), oslo.get("dims"));
        assertEquals(List.of(), rows.get(1).getList("tags"));
        assertNull(rows.get(1).getList("qty"));
        assertNull(rows.get(1).getStruct("ship").get("zip"));
        assertNull(rows.get(2).getStruct("ship"));
        assertEquals("[1]", rows.get(2).getString("mixed"));
        assertEquals("text", rows.get(3).getString("mixed"));

        assertEquals(2, ds.filter(col("ship").isNotNull()).count());
        String table = ds.sort("id").showString(2);
        assertTrue(table.contains("list") && table.contains("struct") && table.contains("[a, b]"), table);
        assertThrows(RuntimeException.class, () -> ds.writeParquet(dir.resolve("nested-parquet").toString()));
    }
}
