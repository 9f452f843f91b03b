package dev.weft.starter;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.data.Agg;
import dev.weft.data.DataContext;
import dev.weft.data.Datasets;
import dev.weft.data.Row;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an application gets from {@code dev.weft:weft} alone: the getting-started job runs (engine found at run time,
 * datasets, the CSV and Parquet connectors), Netty is 4.2, and the libraries log at WARN.
 */
class StarterTest {
    @TempDir
    Path dir;

    @Test
    void theGettingStartedJobRunsOnTheStarterAlone() throws Exception {
        Path csv = dir.resolve("sales.csv");
        Files.writeString(csv, """
                day,store,amount
                2024-03-01,north,12.50
                2024-03-01,south,7.25
                2024-03-02,north,3.00
                2024-03-03,south,10.00
                """);
        DataContext.setCurrent(DataContext.builder().progressBars(false).build());
        try (Weft weft = Weft.init()) {
            var perStore = Datasets.readCsv(csv.toString())
                    .filter(col("day").ge(LocalDate.of(2024, 3, 2)).or(col("store").eq("south")))
                    .withColumn("amount", col("amount").cast(10, 2))
                    .groupBy("store").aggregate(Agg.sum("amount"), Agg.count())
                    .sort("store");
            List<Row> rows = perStore.takeAll();
            // the table docs/getting-started.md shows
            assertEquals("""
                    store   sum(amount)    count()
                    string  decimal(20,2)  int64
                    ------  -------------  -------
                    north            3.00        1
                    south           17.25        2
                    """, perStore.showString(10));
            assertEquals(2, rows.size());
            assertEquals("north", rows.getFirst().getString("store"));
            assertEquals(new BigDecimal("3.00"), rows.getFirst().getDecimal("sum(amount)"));
            assertEquals(new BigDecimal("17.25"), rows.get(1).getDecimal("sum(amount)"));

            Path out = dir.resolve("out");
            Datasets.readCsv(csv.toString()).writeParquet(out.toString());
            assertEquals(4, Datasets.readParquet(out.toString()).count());
        }
    }

    @Test
    void nettyIsTheVersionWeftPinsAndLibrariesLogAtWarn() {
        String netty = io.netty.util.Version.identify().get("netty-common").artifactVersion();
        assertTrue(netty.startsWith("4.2."), netty);
        assertFalse(org.slf4j.LoggerFactory.getLogger("org.apache.hadoop.fs.FileSystem").isInfoEnabled());
        assertTrue(org.slf4j.LoggerFactory.getLogger("org.apache.parquet").isWarnEnabled());
    }
}
