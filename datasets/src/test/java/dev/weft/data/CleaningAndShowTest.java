package dev.weft.data;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** distinct, dropDuplicates, fillNull, dropNulls, describe, columns and show on the embedded engine. */
class CleaningAndShowTest {
    static Weft weft;

    @BeforeAll
    static void startCluster() {
        DataContext.setCurrent(DataContext.builder().progressBars(false).build());
        weft = WeftCluster.start(2, 2, 0);
    }

    @AfterAll
    static void stopCluster() {
        weft.close();
    }

    @AfterEach
    void noLeaks() {
        WeftCluster.assertNoLeaks();
    }

    /** 300 rows: k cycles 0..9, name every third row null, price with cents, a date per k. */
    static Dataset items() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("k", (long) (i % 10));
            m.put("price", new BigDecimal(i % 7).add(new BigDecimal("0.25")));
            m.put("day", LocalDate.of(2024, 1, 1).plusDays(i % 10));
            m.put("name", i % 3 == 0 ? null : "n" + (i % 10));
            items.add(m);
        }
        return Datasets.fromItems(items).repartition(4);
    }

    @Test
    void columnsDistinctAndDropDuplicates() {
        Dataset ds = items();
        assertEquals(List.of("k", "price", "day", "name"), ds.columns());
        assertEquals(10, ds.select("k", "day").distinct().count());
        // (k, name) pairs: k with a null name on rows where i % 3 == 0 and a name otherwise: 20 pairs
        assertEquals(20, ds.select("k", "name").distinct().count());
        List<Row> one = ds.dropDuplicates("k").takeAll();
        assertEquals(10, one.size());
        assertEquals(4, one.getFirst().columns().size());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L),
                one.stream().map(r -> r.getLong("k")).sorted().toList());
    }

    @Test
    void fillNullAndDropNulls() {
        Dataset ds = items();
        assertEquals(200, ds.dropNulls().count());
        assertEquals(300, ds.dropNulls("k").count());
        List<Row> filled = ds.fillNull("unknown").filter(col("name").eq("unknown")).takeAll();
        assertEquals(100, filled.size());
        assertEquals(0, ds.fillNull("unknown", "name").filter(col("name").isNull()).count());
        assertThrows(IllegalArgumentException.class, () -> ds.fillNull(3L, "name"));
        assertThrows(AnalysisException.class, () -> ds.fillNull("x", "nope"));
    }

    @Test
    void describeGivesCountMeanStddevMinMax() {
        List<Row> d = items().describe().takeAll();
        assertEquals(List.of("count", "mean", "stddev", "min", "max"), d.stream().map(r -> r.getString("summary")).toList());
        assertEquals("300", d.get(0).getString("k"));
        assertEquals("200", d.get(0).getString("name"));
        assertEquals(4.5, Double.parseDouble(d.get(1).getString("k")), 1e-9);
        assertEquals("0", d.get(3).getString("k"));
        assertEquals("9", d.get(4).getString("k"));
        assertEquals("6.25", d.get(4).getString("price"));
        assertEquals("2024-01-01", d.get(3).getString("day"));
        assertEquals(null, d.get(1).getString("name"));
        double sd = Double.parseDouble(d.get(2).getString("k"));
        assertEquals(Math.sqrt(300 * 8.25 / 299), sd, 1e-9);
    }

    @Test
    void showPrintsAnAlignedTableWithNamesAndTypes() {
        String table = items().sort("k", "name").limit(3).showString(2);
        String[] lines = table.split("\n");
        assertEquals(6, lines.length, table);
        assertEquals(List.of("k", "price", "day", "name"), List.of(lines[0].trim().split("\\s+")), table);
        assertEquals(List.of("int64", "decimal(38,2)", "date", "string"), List.of(lines[1].trim().split("\\s+")), table);
        assertTrue(lines[2].startsWith("-----"), table);
        assertTrue(lines[3].contains("2024-01-01") && lines[4].contains("2024-01-01"), table);
        assertEquals("only the first 2 rows are shown", lines[5]);
        // numbers are right-aligned under their header: the k value ends where "int64" ends
        assertEquals(lines[1].indexOf("int64") + 5, lines[3].indexOf("0") + 1, table);
    }
}
