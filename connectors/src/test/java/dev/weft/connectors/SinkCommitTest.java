package dev.weft.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.WeftException;
import dev.weft.data.CloseableIterator;
import dev.weft.data.DataContext;
import dev.weft.data.Datasink;
import dev.weft.data.FormatOptions;
import dev.weft.data.WriteContext;
import dev.weft.data.WriteResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The staged commit protocol of the file sinks, driven by hand as the engine drives it. */
class SinkCommitTest {
    @TempDir
    Path dir;
    final BufferAllocator allocator = new RootAllocator();
    final DataContext ctx = DataContext.builder().build();

    @AfterEach
    void leakCheck() {
        allocator.close();
    }

    CloseableIterator<VectorSchemaRoot> batches(int n, int failAt) {
        return new CloseableIterator<>() {
            int i;
            VectorSchemaRoot current;

            @Override
            public boolean hasNext() {
                if (current != null) {
                    current.close();
                    current = null;
                }
                return i < n;
            }

            @Override
            public VectorSchemaRoot next() {
                if (i == failAt) {
                    throw new IllegalStateException("upstream failed at batch " + i);
                }
                current = VectorSchemaRoot.create(ParquetReadWriteTest.ALL_TYPES, allocator);
                ParquetReadWriteTest.fill(current, 100, i++ * 100);
                return current;
            }

            @Override
            public void close() {
                if (current != null) {
                    current.close();
                    current = null;
                }
            }
        };
    }

    WriteResult run(Datasink sink, String job, int task, int n, int failAt) throws Exception {
        try (CloseableIterator<VectorSchemaRoot> it = batches(n, failAt)) {
            return sink.write(it, new WriteContext(task, job + "-" + task + "-a", job, allocator, ctx));
        }
    }

    static List<String> listing(Path p) throws Exception {
        if (!Files.exists(p)) {
            return List.of();
        }
        try (var s = Files.walk(p)) {
            return s.map(x -> p.relativize(x).toString()).sorted().toList();
        }
    }

    @Test
    void commitPublishesOnlyTheResultsFilesAndAbortLeavesNothing() throws Exception {
        for (Datasink sink : List.of(new ParquetConnector().createSink(dir.resolve("p").toString(), Reads.opts("compression", "zstd")),
                new CsvConnector().createSink(dir.resolve("c").toString(), FormatOptions.NONE),
                new JsonConnector().createSink(dir.resolve("j").toString(), FormatOptions.NONE))) {
            Path target = dir.resolve(sink.name().equals("Parquet") ? "p" : sink.name().equals("CSV") ? "c" : "j");
            sink.onWriteStart("job1", ctx);
            List<WriteResult> results = new ArrayList<>();
            results.add(run(sink, "job1", 0, 3, -1));
            assertThrows(IllegalStateException.class, () -> run(sink, "job1", 1, 3, 1)); // a failed attempt
            results.add(run(sink, "job1", 1, 2, -1));                                  // its retry
            assertFalse(Files.exists(target), "nothing is visible before commit");
            sink.commit("job1", results);
            List<String> files = listing(target);
            assertTrue(files.contains("_SUCCESS"), files.toString());
            assertEquals(2, files.stream().filter(f -> f.startsWith("part-")).count(), files.toString());
            try (var s = Files.list(dir)) {
                assertFalse(s.anyMatch(x -> x.getFileName().toString().startsWith(".")), "staging removed");
            }
            long rows = results.stream().mapToLong(WriteResult::numRows).sum();
            assertEquals(500, rows);
            if (sink.name().equals("Parquet")) {
                assertEquals(500, new ParquetConnector().createSource(List.of(target.toString()), FormatOptions.NONE)
                        .exactRowCount().orElseThrow());
            }

            // A second job that fails is aborted: the published directory stays byte for byte.
            List<String> before = listing(target);
            Datasink again = sink.name().equals("Parquet")
                    ? new ParquetConnector().createSink(target.toString(), Reads.opts("mode", "overwrite"))
                    : sink.name().equals("CSV") ? new CsvConnector().createSink(target.toString(), Reads.opts("mode", "append"))
                    : new JsonConnector().createSink(target.toString(), Reads.opts("mode", "overwrite"));
            again.onWriteStart("job2", ctx);
            WriteResult done = run(again, "job2", 0, 1, -1);
            IllegalStateException boom = assertThrows(IllegalStateException.class, () -> run(again, "job2", 1, 3, 2));
            again.abort("job2", List.of(done), boom);
            assertEquals(before, listing(target));
            try (var s = Files.list(dir)) {
                assertFalse(s.anyMatch(x -> x.getFileName().toString().contains("job2")), "job2 staging removed");
            }
        }
    }

    @Test
    void existingTargetFailsBeforeWritingUnlessOverwriteOrAppend() throws Exception {
        Path target = dir.resolve("t");
        Files.createDirectories(target);
        Files.writeString(target.resolve("keep.txt"), "x");
        Datasink sink = new ParquetConnector().createSink(target.toString(), FormatOptions.NONE);
        WeftException e = assertThrows(WeftException.class, () -> sink.onWriteStart("j", ctx));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());

        Datasink overwrite = new ParquetConnector().createSink(target.toString(), Reads.opts("mode", "overwrite"));
        overwrite.onWriteStart("j2", ctx);
        overwrite.commit("j2", List.of(run(overwrite, "j2", 0, 1, -1)));
        assertFalse(Files.exists(target.resolve("keep.txt")));

        Datasink append = new ParquetConnector().createSink(target.toString(), Reads.opts("mode", "append"));
        append.onWriteStart("j3", ctx);
        append.commit("j3", List.of(run(append, "j3", 0, 1, -1)));
        assertEquals(2, listing(target).stream().filter(f -> f.startsWith("part-")).count());
    }
}
