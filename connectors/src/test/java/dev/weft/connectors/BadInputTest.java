package dev.weft.connectors;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ErrorType;
import dev.weft.data.DataContext;
import dev.weft.data.Datasource;
import dev.weft.data.FormatOptions;
import dev.weft.data.SupportsFilterPushdown;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadInputTest {
    @TempDir
    Path dir;
    final BufferAllocator allocator = new RootAllocator();

    @AfterEach
    void leakCheck() {
        allocator.close();
    }

    Datasource parquet(String... paths) {
        return new ParquetConnector().createSource(List.of(paths), FormatOptions.NONE);
    }

    @Test
    void missingPathEmptyDirectoryAndUnmatchedGlobNameThePath() throws Exception {
        String missing = dir.resolve("nope").toString();
        InputNotFoundException e = assertThrows(InputNotFoundException.class, () -> parquet(missing));
        assertEquals(ErrorType.USER_ERROR, e.errorType());
        assertTrue(e.getMessage().contains("path does not exist: " + missing), e.getMessage());
        Files.createDirectories(dir.resolve("empty/_temporary"));
        Files.writeString(dir.resolve("empty/_SUCCESS"), "");
        InputNotFoundException e2 = assertThrows(InputNotFoundException.class, () -> parquet(dir.resolve("empty").toString()));
        assertTrue(e2.getMessage().contains("contains no data files"), e2.getMessage());
        InputNotFoundException e3 = assertThrows(InputNotFoundException.class,
                () -> new CsvConnector().createSource(List.of(dir.resolve("*.csv").toString()), FormatOptions.NONE));
        assertTrue(e3.getMessage().contains("no file matches the glob"), e3.getMessage());
    }

    @Test
    void corruptFooterNamesTheFileAndIgnoreCorruptFilesSkipsIt() throws Exception {
        TestFiles.events(dir.resolve("d/a.parquet"), 0, 1000, 1 << 20, false, false);
        Files.write(dir.resolve("d/b.parquet"), "this is not parquet at all".getBytes());
        // The footers are read when the source is made, but a corrupt one fails only once the context is known.
        Datasource source = parquet(dir.resolve("d").toString());
        FileReadException e = assertThrows(FileReadException.class, source::schema);
        assertTrue(e.getMessage().contains("b.parquet at footer"), e.getMessage());
        assertEquals("footer", e.location());

        DataContext ignore = DataContext.builder().ignoreCorruptFiles(true).build();
        DataContext before = DataContext.current();
        DataContext.setCurrent(ignore);
        try {
            Reads.Result r = Reads.readAll(parquet(dir.resolve("d").toString()), allocator, ignore);
            assertEquals(1000, r.rows().size());
            assertEquals(1L, r.counters().get("corruptFilesSkipped"));
            assertTrue(r.skipped().keySet().iterator().next().endsWith("b.parquet"));
        } finally {
            DataContext.setCurrent(before);
        }
    }

    @Test
    void ignoreCorruptFilesSetWithWithContextSkipsACorruptFooter() throws Exception {
        TestFiles.events(dir.resolve("d/a.parquet"), 0, 1000, 1 << 20, false, false);
        Files.write(dir.resolve("d/b.parquet"), "this is not parquet at all".getBytes());
        // Before, readParquet read the footers with the process-wide context and failed before withContext.
        dev.weft.data.Dataset ds = dev.weft.data.Datasets.readParquet(dir.resolve("d").toString());
        FileReadException e = assertThrows(FileReadException.class, ds::count);
        assertTrue(e.getMessage().contains("b.parquet at footer"), e.getMessage());
        dev.weft.data.Dataset skipping = ds.withContext(DataContext.current().toBuilder().ignoreCorruptFiles(true).build());
        assertEquals(1000, skipping.count());
        assertEquals(1000, skipping.select("id").count());
        assertTrue(skipping.schema().getFields().stream().anyMatch(f -> f.getName().equals("id")));
        // and back: the same dataset with a context that does not skip fails again
        assertThrows(FileReadException.class, () -> skipping.withContext(DataContext.builder().build()).count());
    }

    @Test
    void csvUnclosedQuoteIsReportedWhereTheQuotedFieldOpens() throws Exception {
        Path f = dir.resolve("q.csv");
        Files.writeString(f, "name,note\na,\"fine, \"\"quoted\"\"\nover two lines\"\nb,\"never closed\nc,x\nd,y\n");
        FileReadException e = assertThrows(FileReadException.class, () -> Reads.readAll(
                new CsvConnector().createSource(List.of(f.toString()), FormatOptions.NONE), allocator));
        assertTrue(e.getMessage().contains("q.csv at line 4") && e.getMessage().contains("never closed"), e.getMessage());
        assertEquals("line 4", e.location());
    }

    @Test
    void csvDuplicateHeaderNamesTheFileAndTheColumn() throws Exception {
        Path f = dir.resolve("dup.csv");
        Files.writeString(f, "id,x,id\n1,2,3\n");
        FileReadException e = assertThrows(FileReadException.class, () -> Reads.readAll(
                new CsvConnector().createSource(List.of(f.toString()), FormatOptions.NONE), allocator));
        assertTrue(e.getMessage().contains("dup.csv at line 1") && e.getMessage().contains("'id' twice"), e.getMessage());
    }

    @Test
    void jsonObjectNotClosedOnItsLineIsReportedOnThatLine() throws Exception {
        Path last = dir.resolve("last.jsonl");
        Files.writeString(last, "{\"id\":1}\n{\"id\":2}\n{\"id\":\n");
        FileReadException e = assertThrows(FileReadException.class, () -> Reads.readAll(
                new JsonConnector().createSource(List.of(last.toString()), Reads.opts("inferRows", "1")), allocator));
        assertEquals("line 3", e.location(), e.getMessage());
        Path middle = dir.resolve("middle.jsonl");
        Files.writeString(middle, "{\"id\":1}\n{\"id\":2\n{\"id\":3}\n");
        FileReadException e2 = assertThrows(FileReadException.class, () -> Reads.readAll(
                new JsonConnector().createSource(List.of(middle.toString()), Reads.opts("inferRows", "1")), allocator));
        assertEquals("line 2", e2.location(), e2.getMessage());
        FileReadException e3 = assertThrows(FileReadException.class, () -> Reads.readAll(
                new JsonConnector().createSource(List.of(middle.toString()), Reads.opts("inferRows", "5")), allocator));
        assertEquals("line 2", e3.location(), "found while inferring the schema: " + e3.getMessage());
    }

    @Test
    void corruptRowGroupNamesFileRowGroupAndColumn() throws Exception {
        Path f = dir.resolve("c.parquet");
        TestFiles.events(f, 0, 50_000, 64 << 10, false, false);
        List<BlockMetaData> blocks = ParquetFileReader.readFooter(new Configuration(),
                new org.apache.hadoop.fs.Path(f.toString()), ParquetMetadataConverter.NO_FILTER).getBlocks();
        assertTrue(blocks.size() >= 3);
        // Overwrite the middle of row group 2's column "x" chunk with garbage.
        var chunk = blocks.get(2).getColumns().stream().filter(c -> c.getPath().toDotString().equals("x")).findFirst().orElseThrow();
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            byte[] junk = new byte[(int) Math.min(200, chunk.getTotalSize())];
            Arrays.fill(junk, (byte) 0x7f);
            raf.seek(chunk.getStartingPos());
            raf.write(junk);
        }
        FileReadException e = assertThrows(FileReadException.class, () -> Reads.readAll(parquet(f.toString()), allocator));
        assertTrue(e.getMessage().contains("c.parquet"), e.getMessage());
        assertTrue(e.location().startsWith("row group 2 of " + blocks.size()), e.getMessage());
        // Projection away from the damaged column reads fine.
        Datasource ok = ((dev.weft.data.SupportsProjectionPushdown) parquet(f.toString())).withColumns(List.of("id"));
        assertEquals(50_000, Reads.readAll(ok, allocator).rows().size());
        // ignoreCorruptFiles: row groups 0 and 1 come back, the rest of the file is skipped and counted.
        Reads.Result r = Reads.readAll(parquet(f.toString()), allocator, DataContext.builder().ignoreCorruptFiles(true).build());
        assertEquals(1L, r.counters().get("corruptFilesSkipped"));
        assertTrue(r.rows().size() < 50_000);
    }

    @Test
    void schemaMismatchAcrossFilesIsAClearErrorAndMergeSchemaUnifies() throws Exception {
        TestFiles.events(dir.resolve("m/a.parquet"), 0, 100, 1 << 20, false, false);
        Path other = dir.resolve("m/b.parquet");
        // Same column names, but "x" as a string.
        org.apache.parquet.schema.MessageType t = org.apache.parquet.schema.MessageTypeParser.parseMessageType(
                "message m { required int64 id; optional binary x (STRING); }");
        try (var w = org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(
                new org.apache.hadoop.fs.Path(other.toString())).withType(t).build()) {
            w.write(new org.apache.parquet.example.data.simple.SimpleGroupFactory(t).newGroup().append("id", 1L).append("x", "one"));
        }
        SchemaMismatchException e = assertThrows(SchemaMismatchException.class, () -> parquet(dir.resolve("m").toString()));
        assertTrue(e.getMessage().contains("a.parquet") && e.getMessage().contains("b.parquet"), e.getMessage());

        // Missing columns: an error by default, nulls with mergeSchema.
        Files.delete(other);
        org.apache.parquet.schema.MessageType narrow = org.apache.parquet.schema.MessageTypeParser.parseMessageType(
                "message m { required int64 id; optional double x; optional int64 extra; }");
        try (var w = org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(
                new org.apache.hadoop.fs.Path(other.toString())).withType(narrow).build()) {
            w.write(new org.apache.parquet.example.data.simple.SimpleGroupFactory(narrow).newGroup()
                    .append("id", 100L).append("x", 0.5).append("extra", 7L));
        }
        SchemaMismatchException e2 = assertThrows(SchemaMismatchException.class, () -> parquet(dir.resolve("m").toString()));
        assertTrue(e2.getMessage().contains("mergeSchema"), e2.getMessage());
        Datasource merged = new ParquetConnector().createSource(List.of(dir.resolve("m").toString()),
                Reads.opts("mergeSchema", "true"));
        Reads.Result r = Reads.readAll(merged, allocator);
        assertEquals(101, r.rows().size());
        assertEquals(7L, r.column("extra").get(100));
        assertEquals(null, r.column("key").get(100));
        assertEquals(null, r.column("extra").get(0));
    }

    @Test
    void hivePartitionsGlobsAndPartitionPruning() throws Exception {
        for (int day = 1; day <= 3; day++) {
            for (String region : List.of("eu", "us")) {
                TestFiles.events(dir.resolve("t/day=" + day + "/region=" + region + "/f.parquet"), day * 1000L, 10,
                        1 << 20, false, false);
            }
        }
        Files.writeString(dir.resolve("t/_SUCCESS"), "");
        Datasource all = parquet(dir.resolve("t").toString());
        Reads.Result r = Reads.readAll(all, allocator);
        assertEquals(60, r.rows().size());
        assertTrue(r.columns().containsAll(List.of("day", "region")));
        Datasource pruned = ((SupportsFilterPushdown) all).withFilter(col("day").ge(2L).and(col("region").eq("us"))).source();
        Reads.Result p = Reads.readAll(pruned, allocator);
        assertEquals(20, p.rows().size());
        assertEquals(4L, p.counters().get("filesSkippedByPartition"));
        assertTrue(p.column("region").stream().allMatch("us"::equals));
        Reads.Result g = Reads.readAll(parquet(dir.resolve("t/day=*/region=eu/*.parquet").toString()), allocator);
        assertEquals(30, g.rows().size());
        assertTrue(g.column("region").stream().allMatch("eu"::equals));
        Reads.Result list = Reads.readAll(parquet(dir.resolve("t/day=1").toString(), dir.resolve("t/day=3/region=us").toString()), allocator);
        assertEquals(30, list.rows().size());
        assertEquals(List.of(1L, 3L), list.column("day").stream().distinct().sorted().toList());
    }
}
