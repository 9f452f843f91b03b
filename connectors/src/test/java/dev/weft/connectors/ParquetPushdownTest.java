package dev.weft.connectors;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.data.DataContext;
import dev.weft.data.Datasource;
import dev.weft.data.Expr;
import dev.weft.data.SupportsFilterPushdown;
import dev.weft.data.SupportsLimitPushdown;
import dev.weft.data.SupportsProjectionPushdown;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.LongStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParquetPushdownTest {
    @TempDir
    Path dir;
    final BufferAllocator allocator = new RootAllocator();

    @AfterEach
    void leakCheck() {
        allocator.close();
    }

    Datasource source(String... paths) {
        return new ParquetConnector().createSource(List.of(paths), Reads.opts());
    }

    @ParameterizedTest(name = "v2={0} dictionary={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void readsFilesWrittenByParquetMrWithNullsPagesAndDictionaries(boolean v2, boolean dictionary) throws Exception {
        Path f = dir.resolve("e.parquet");
        TestFiles.events(f, 0, 20_000, 1 << 20, v2, dictionary);
        Reads.Result r = Reads.readAll(source(f.toString()), allocator);
        assertEquals(20_000, r.rows().size());
        for (int i = 0; i < 20_000; i++) {
            List<Object> row = r.rows().get(i);
            assertEquals((long) i, row.get(0));
            assertEquals(i % 9 == 4 ? null : (long) (i % 10), row.get(1), "key of row " + i);
            assertEquals(i / 1000.0, row.get(2));
            assertEquals("v" + (i % 4), row.get(3));
            assertEquals(i % 100, row.get(4));
            assertEquals(i % 2 == 0, row.get(5));
            assertEquals(i / 2f, row.get(6));
        }
    }

    @Test
    void projectionReadsOnlyTheProjectedColumnChunks() throws Exception {
        Path f = dir.resolve("e.parquet");
        TestFiles.events(f, 0, 50_000, 64 << 20, false, false);
        Reads.Result all = Reads.readAll(source(f.toString()), allocator);
        Datasource projected = ((SupportsProjectionPushdown) source(f.toString())).withColumns(List.of("x", "id"));
        Reads.Result some = Reads.readAll(projected, allocator);
        assertEquals(List.of("x", "id"), some.columns());
        assertEquals(50_000, some.rows().size());
        assertEquals(7.0, some.rows().get(7000).get(0));
        long allBytes = all.counters().get("bytesRead");
        long someBytes = some.counters().get("bytesRead");
        long expected = 0;
        long total = 0;
        for (var block : org.apache.parquet.hadoop.ParquetFileReader.readFooter(
                org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toString()),
                        new org.apache.hadoop.conf.Configuration()),
                org.apache.parquet.format.converter.ParquetMetadataConverter.NO_FILTER).getBlocks()) {
            for (var c : block.getColumns()) {
                total += c.getTotalSize();
                if (List.of("x", "id").contains(c.getPath().toDotString())) {
                    expected += c.getTotalSize();
                }
            }
        }
        assertEquals(total, allBytes);
        assertEquals(expected, someBytes, "exactly the chunks of x and id are fetched");
        assertTrue(someBytes < allBytes);
        // Zero columns: only the row count.
        Reads.Result none = Reads.readAll(((SupportsProjectionPushdown) source(f.toString())).withColumns(List.of()), allocator);
        assertEquals(50_000, none.rows().size());
        assertEquals(null, none.counters().get("bytesRead"));
    }

    @Test
    void statisticsPruneRowGroupsAndTheRowsStillComeBack() throws Exception {
        Path f = dir.resolve("sorted.parquet");
        TestFiles.events(f, 0, 200_000, 64 << 10, false, false);
        Reads.Result everything = Reads.readAll(source(f.toString()), allocator);
        long groups = everything.counters().get("rowGroupsRead");
        assertTrue(groups >= 10, "the file should have many row groups, has " + groups);

        Expr pred = col("id").lt(1000L).or(col("id").ge(199_500));
        SupportsFilterPushdown.Result pushed = ((SupportsFilterPushdown) source(f.toString())).withFilter(pred);
        assertEquals(pred, pushed.remaining().orElseThrow(), "pruning only: the engine keeps the filter");
        Reads.Result r = Reads.readAll(pushed.source(), allocator);
        long read = r.counters().get("rowGroupsRead");
        assertTrue(read <= 3, "read " + read + " of " + groups + " row groups");
        assertEquals(groups - read, r.counters().get("rowGroupsSkipped"));
        List<Long> ids = r.column("id").stream().map(o -> (Long) o).filter(id -> id < 1000 || id >= 199_500).toList();
        assertEquals(LongStream.concat(LongStream.range(0, 1000), LongStream.range(199_500, 200_000)).boxed().toList(), ids);
        assertEquals(OptionalLong.empty(), pushed.source().exactRowCount());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "id > 500000|0", "not(id < 500000)|0", "x >= 1000.5|0", "s == zzz|0", "id < 10.5|1", "key is null and id > 10|>0"})
    void comparisonsOfEveryTypeAndBooleanLogicPrune(String label, String expectGroups) throws Exception {
        Path f = dir.resolve("sorted.parquet");
        TestFiles.events(f, 0, 100_000, 64 << 10, false, false);
        Expr pred = switch (label) {
            case "id > 500000" -> col("id").gt(500_000);
            case "not(id < 500000)" -> col("id").lt(500_000).not();
            case "x >= 1000.5" -> col("x").ge(1000.5);
            case "s == zzz" -> col("s").eq("zzz");
            case "id < 10.5" -> col("id").lt(10.5);
            default -> col("key").isNull().and(col("id").gt(10));
        };
        Reads.Result r = Reads.readAll(((SupportsFilterPushdown) source(f.toString())).withFilter(pred).source(), allocator);
        long read = r.counters().getOrDefault("rowGroupsRead", 0L);
        if (expectGroups.startsWith(">")) {
            assertTrue(read > 0);
        } else {
            assertEquals(Long.parseLong(expectGroups), read, label);
        }
    }

    @Test
    void limitStopsEachTaskEarlyAndCountComesFromFooters() throws Exception {
        Path f = dir.resolve("e.parquet");
        TestFiles.events(f, 0, 100_000, 64 << 10, false, false);
        assertEquals(OptionalLong.of(100_000), source(f.toString()).exactRowCount());
        Datasource limited = ((SupportsLimitPushdown) source(f.toString())).withLimit(10);
        Reads.Result r = Reads.readAll(limited, allocator, DataContext.builder().build());
        long groups = Reads.readAll(source(f.toString()), allocator).counters().get("rowGroupsRead");
        assertTrue(r.counters().get("rowGroupsRead") <= r.tasks() && r.tasks() < groups,
                "each of " + r.tasks() + " tasks stops after its first row group of " + groups + ": " + r.counters());
        assertTrue(r.rows().size() >= 10 && r.rows().size() <= 10L * r.tasks());
        assertEquals(OptionalLong.of(10), limited.exactRowCount());
    }
}
