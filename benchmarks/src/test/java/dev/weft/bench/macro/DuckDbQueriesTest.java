package dev.weft.bench.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DuckDbQueriesTest {

    private static final Path DATA = Path.of("/bench/data/scale-1.0");
    private static final Path OUT = Path.of("/bench/work/w3-duckdb-out");

    @Test
    void everyWorkloadHasEitherASqlFormOrAReasonWhyNot() {
        for (Workload w : Workload.values()) {
            if (DuckDbQueries.unavailable(w).isPresent()) {
                assertThrows(IllegalArgumentException.class, () -> DuckDbQueries.query(w, DATA, OUT), w.name());
            } else {
                assertTrue(DuckDbQueries.query(w, DATA, OUT).sql().contains("read_parquet('/bench/data/scale-1.0/"),
                        w.name());
            }
        }
        assertEquals(List.of(Workload.W1b, Workload.W1c, Workload.W7, Workload.DEC), Arrays.stream(Workload.values())
                .filter(w -> DuckDbQueries.unavailable(w).isPresent()).toList());
    }

    @Test
    void theSortWritesOneOrderedSnappyFileIntoTheOutputDirectory() {
        DuckDbQueries.Query q = DuckDbQueries.query(Workload.W3, DATA, OUT);
        assertEquals("COPY (SELECT * FROM read_parquet('/bench/data/scale-1.0/sortin/*.parquet') ORDER BY k) TO "
                + "'/bench/work/w3-duckdb-out/part-00000.parquet' (FORMAT parquet, COMPRESSION snappy)", q.sql());
        assertEquals(Map.of(), DuckDbQueries.checks(Workload.W3, 0, List.of(), List.of()));
    }

    @Test
    void theSqlOfW6IsBenchmarksTextOverTheEventsFiles() {
        assertEquals("SELECT key % 100 AS b, COUNT(*), SUM(x), AVG(x), MAX(s) FROM "
                + "read_parquet('/bench/data/scale-1.0/events/*.parquet') AS events WHERE x > 0.1 GROUP BY key % 100 "
                + "ORDER BY b", DuckDbQueries.query(Workload.W6, DATA, OUT).sql());
    }

    @Test
    void quotesInAPathAreDoubledInTheLiteral() {
        assertEquals("read_parquet('/it''s/events/*.parquet')", DuckDbQueries.scan(Path.of("/it's/events")));
    }

    @Test
    void aGroupByIsFoldedToTotalsAndNamedAsTheOtherEnginesName() {
        DuckDbQueries.Query q = DuckDbQueries.query(Workload.W4, DATA, OUT);
        assertEquals(DuckDbQueries.ResultShape.TOTALS, q.shape());
        assertEquals("totals", q.shape().wireName());
        assertEquals(Map.of("groups", 100_000L, "sum_count", 20_000_000L, "sum_sum_x", 1.0e7, "sum_mean_x", 5.0e4),
                DuckDbQueries.checks(Workload.W4, 100_000, List.of(), List.of(4_999_950_000L, 20_000_000L, 1.0e7,
                        5.0e4)));
    }

    @Test
    void aSingleRowResultBecomesTheWorkloadsCheckValuesAndAnyOtherRowCountIsAnError() {
        assertEquals(Map.of("count", 7L, "sum_y", 21.5, "max_upper_s", "ZZ"),
                DuckDbQueries.checks(Workload.W1a, 1, List.of(List.of(7L, 21.5, "ZZ")), List.of()));
        assertThrows(IllegalStateException.class, () -> DuckDbQueries.checks(Workload.W2, 2,
                List.of(List.of(1L, 0.5), List.of(1L, 0.5)), List.of()));
    }
}
