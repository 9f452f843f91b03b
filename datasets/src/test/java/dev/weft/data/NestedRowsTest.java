package dev.weft.data;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** List and Map values in rows become list and struct columns, and a row map keeps them. */
class NestedRowsTest {
    static Weft weft;

    @BeforeAll
    static void startCluster() {
        DataContext.setCurrent(DataContext.builder().progressBars(false).build());
        weft = WeftCluster.start(1, 2, 0);
    }

    @AfterAll
    static void stopCluster() {
        weft.close();
    }

    @AfterEach
    void noLeaks() {
        WeftCluster.assertNoLeaks();
    }

    @Test
    void listsAndMapsRoundTripThroughFromItemsAndMap() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Map<String, Object> ship = new LinkedHashMap<>();
            ship.put("city", "c" + i);
            ship.put("zip", (long) i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", (long) i);
            m.put("tags", i % 5 == 0 ? null : List.of("t" + i, "u"));
            m.put("ship", ship);
            items.add(m);
        }
        Schema direct = Datasets.fromItems(items).schema();
        assertEquals(ArrowType.List.INSTANCE, direct.findField("tags").getType(), direct.toString());
        Dataset ds = Datasets.fromItems(items)
                .map(r -> r.with("ntags", r.getList("tags") == null ? 0L : (long) r.getList("tags").size()));
        Schema s = ds.schema();
        Field tags = s.findField("tags");
        assertEquals(ArrowType.List.INSTANCE, tags.getType());
        assertEquals(ArrowType.Utf8.INSTANCE, tags.getChildren().getFirst().getType());
        assertEquals(List.of("city", "zip"), s.findField("ship").getChildren().stream().map(Field::getName).toList());
        List<Row> rows = ds.filter(col("tags").isNotNull()).sort("id").takeAll();
        assertEquals(40, rows.size());
        assertEquals(List.of("t1", "u"), rows.getFirst().getList("tags"));
        assertEquals(2L, rows.getFirst().getLong("ntags"));
        assertEquals(Map.of("city", "c1", "zip", 1L), rows.getFirst().getStruct("ship"));
        assertNull(ds.sort("id").take(1).getFirst().getList("tags"));
        assertTrue(ds.sort("id").showString(3).contains("[t1, u]"), ds.sort("id").showString(3));
    }
}
