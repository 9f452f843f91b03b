package dev.weft.connectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.data.DataContext;
import dev.weft.data.Datasource;
import dev.weft.data.FormatOptions;
import dev.weft.data.SupportsProjectionPushdown;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFormatsTest {
    @TempDir
    Path dir;
    final BufferAllocator allocator = new RootAllocator();

    @AfterEach
    void leakCheck() {
        allocator.close();
    }

    Path file(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    @Test
    void csvInfersTypesHandlesQuotesAndNulls() throws Exception {
        Path f = file("a.csv", "id,price,name,ok\n1,2.5,\"Smith, J\",true\n2,3,\"say \"\"hi\"\"\",false\n3,,\"multi\nline\",\n");
        Datasource s = new CsvConnector().createSource(List.of(f.toString()), FormatOptions.NONE);
        Schema schema = s.schema().orElseThrow();
        assertEquals(List.of(new ArrowType.Int(64, true), new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE),
                ArrowType.Utf8.INSTANCE, ArrowType.Bool.INSTANCE),
                schema.getFields().stream().map(Field::getType).toList());
        Reads.Result r = Reads.readAll(s, allocator);
        // The same file through a file:// URI.
        assertEquals(3, Reads.readAll(new CsvConnector().createSource(List.of(f.toUri().toString()),
                FormatOptions.NONE), allocator).rows().size());
        assertEquals(List.of(
                Arrays.asList(1L, 2.5, "Smith, J", true),
                Arrays.asList(2L, 3.0, "say \"hi\"", false),
                Arrays.asList(3L, null, "multi\nline", null)), r.rows());
    }

    @Test
    void csvWithExplicitSchemaDelimiterAndNoHeaderReadsGzip() throws Exception {
        Path f = dir.resolve("b.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write("7;2024-01-31;x\n8;NA;y\n".getBytes(StandardCharsets.UTF_8));
        }
        Schema schema = new Schema(List.of(Field.nullable("n", new ArrowType.Int(32, true)),
                Field.nullable("d", new ArrowType.Date(DateUnit.DAY)), Field.nullable("s", ArrowType.Utf8.INSTANCE)));
        Datasource s = new CsvConnector().createSource(List.of(f.toString()), FormatOptions.builder()
                .option("delimiter", ";").option("header", "false").option("nullValue", "NA").schema(schema).build());
        Reads.Result r = Reads.readAll(s, allocator);
        assertEquals(2, r.rows().size());
        assertEquals(7, r.rows().get(0).get(0));
        assertEquals(java.time.LocalDate.of(2024, 1, 31).toEpochDay(), ((Integer) r.rows().get(0).get(1)).longValue());
        assertEquals(null, r.rows().get(1).get(1));
        // Projection only converts what is asked for.
        Reads.Result p = Reads.readAll(((SupportsProjectionPushdown) s).withColumns(List.of("s")), allocator);
        assertEquals(List.of(List.of("x"), List.of("y")), p.rows());
    }

    @Test
    void csvWrongTypeNamesFileLineAndColumn() throws Exception {
        StringBuilder b = new StringBuilder("id,x\n");
        for (int i = 0; i < 20; i++) {
            b.append(i).append(',').append(i * 0.5).append('\n');
        }
        b.append("20,abc\n");
        Path f = file("bad.csv", b.toString());
        Datasource s = new CsvConnector().createSource(List.of(f.toString()), Reads.opts("inferRows", "10"));
        FileReadException e = assertThrows(FileReadException.class, () -> Reads.readAll(s, allocator));
        assertTrue(e.getMessage().contains(f.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("line 22, column 'x' (#2)"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot parse 'abc' as float64"), e.getMessage());
        Path ragged = file("ragged.csv", "a,b\n1,2\n3\n");
        FileReadException e2 = assertThrows(FileReadException.class, () -> Reads.readAll(
                new CsvConnector().createSource(List.of(ragged.toString()), FormatOptions.NONE), allocator));
        assertTrue(e2.getMessage().contains("line 3") && e2.getMessage().contains("1 fields"), e2.getMessage());
    }

    @Test
    void jsonLinesInferWidenAndReadNestedAsListsAndStructs() throws Exception {
        Path f = file("a.jsonl", "{\"id\":1,\"x\":1,\"tags\":[1,2],\"name\":\"a\"}\n"
                + "{\"id\":2,\"x\":2.5,\"name\":null,\"ok\":true}\n\n{\"id\":3,\"o\":{\"k\":\"v\"}}\n");
        Datasource s = new JsonConnector().createSource(List.of(f.toString()), FormatOptions.NONE);
        assertEquals(List.of("id", "x", "tags", "name", "ok", "o"),
                s.schema().orElseThrow().getFields().stream().map(Field::getName).toList());
        Reads.Result r = Reads.readAll(s, allocator);
        assertEquals(Arrays.asList(1L, 1.0, List.of(1L, 2L), "a", null, null), r.rows().get(0));
        assertEquals(Arrays.asList(2L, 2.5, null, null, true, null), r.rows().get(1));
        assertEquals(List.of(3L), r.rows().get(2).subList(0, 1));
        assertEquals("{\"k\":\"v\"}", String.valueOf(r.rows().get(2).get(5)));
        // an array in one line and a scalar in another: the column keeps the JSON text
        Path mixed = file("m.jsonl", "{\"v\":[1,2]}\n{\"v\":3}\n");
        Reads.Result m = Reads.readAll(new JsonConnector().createSource(List.of(mixed.toString()), FormatOptions.NONE),
                allocator);
        assertEquals(Arrays.asList("[1,2]"), m.rows().get(0));
        assertEquals(Arrays.asList("3"), m.rows().get(1));
    }

    @Test
    void malformedJsonLineNamesFileAndLine() throws Exception {
        Path f = file("bad.jsonl", "{\"id\":1}\n{\"id\":2}\n{\"id\":3,,}\n{\"id\":4}\n");
        Datasource s = new JsonConnector().createSource(List.of(f.toString()), Reads.opts("inferRows", "1"));
        FileReadException e = assertThrows(FileReadException.class, () -> Reads.readAll(s, allocator));
        assertTrue(e.getMessage().contains("bad.jsonl at line 3"), e.getMessage());
        Path wrong = file("wrong.jsonl", "{\"id\":1}\n{\"id\":\"two\"}\n");
        FileReadException e2 = assertThrows(FileReadException.class, () -> Reads.readAll(
                new JsonConnector().createSource(List.of(wrong.toString()), Reads.opts("inferRows", "1")), allocator));
        assertTrue(e2.getMessage().contains("line 2, field 'id'") && e2.getMessage().contains("\"two\""), e2.getMessage());
        Path extra = file("extra.jsonl", "{\"id\":1}\n{\"id\":2,\"z\":1}\n");
        FileReadException e3 = assertThrows(FileReadException.class, () -> Reads.readAll(
                new JsonConnector().createSource(List.of(extra.toString()), Reads.opts("inferRows", "1")), allocator));
        assertTrue(e3.getMessage().contains("line 2, field 'z'"), e3.getMessage());
        assertEquals(2, Reads.readAll(new JsonConnector().createSource(List.of(extra.toString()),
                Reads.opts("inferRows", "1", "ignoreUnknownFields", "true")), allocator).rows().size());
    }

    @Test
    void ignoreCorruptFilesSkipsAndCountsBadTextFiles() throws Exception {
        file("d/1.jsonl", "{\"id\":1}\n");
        file("d/2.jsonl", "{\"id\":2}\n{oops\n");
        file("d/3.jsonl", "{\"id\":3}\n");
        Datasource s = new JsonConnector().createSource(List.of(dir.resolve("d").toString()), FormatOptions.NONE);
        Reads.Result r = Reads.readAll(s, allocator, DataContext.builder().ignoreCorruptFiles(true).build());
        // The corrupt file's unfinished batch is dropped; here that is all of it.
        assertEquals(List.of(1L, 3L), r.column("id"));
        assertEquals(1L, r.counters().get("corruptFilesSkipped"));
        assertTrue(r.skipped().keySet().iterator().next().endsWith("2.jsonl"));
    }

    @Test
    void textLinesAndBinaryFiles() throws Exception {
        file("t/a.txt", "first\r\nsecond\n\nfourth");
        Reads.Result t = Reads.readAll(new TextConnector().createSource(List.of(dir.resolve("t").toString()),
                FormatOptions.NONE), allocator);
        assertEquals(List.of("first", "second", "", "fourth"), t.column("text"));
        Path bin = dir.resolve("b/x.bin");
        Files.createDirectories(bin.getParent());
        Files.write(bin, new byte[] {0, 1, 2, (byte) 255});
        Files.write(dir.resolve("b/y.gz"), new byte[] {9});
        Datasource s = new BinaryFilesConnector().createSource(List.of(dir.resolve("b").toString()), FormatOptions.NONE);
        assertEquals(java.util.OptionalLong.of(2), s.exactRowCount());
        Reads.Result b = Reads.readAll(s, allocator);
        assertTrue(((String) b.rows().get(0).get(0)).endsWith("x.bin"));
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, (byte[]) b.rows().get(0).get(1));
        assertArrayEquals(new byte[] {9}, (byte[]) b.rows().get(1).get(1), "binary files are never decompressed");
    }

    @Test
    void unknownOptionIsRejectedByName() throws Exception {
        Path f = file("a.csv", "a\n1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CsvConnector().createSource(List.of(f.toString()), Reads.opts("delimeter", ";")));
        assertTrue(e.getMessage().contains("'delimeter'"), e.getMessage());
    }
}
