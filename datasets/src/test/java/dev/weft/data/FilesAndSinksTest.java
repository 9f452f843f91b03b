package dev.weft.data;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.api.WeftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading real files, errors that name them, push-down measured, and all-or-nothing writes. */
class FilesAndSinksTest {
    static Weft weft;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() {
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

    private Dataset files() throws IOException {
        Path in = dir.resolve("in");
        if (!Files.exists(in)) {
            Files.createDirectories(in);
            PlanExplainTest.writeFiles(in, 4, 1000);
        }
        return Datasets.from(new ArrowFilesSource(in.toString(), null, null));
    }

    @Test
    void readsEveryFileAndListsThem() throws IOException {
        Dataset ds = files();
        assertEquals(4, ds.inputFiles().size());
        assertEquals(4000, ds.count());
        assertEquals(3999L * 4000 / 2, (long) ds.sum("id"));
    }

    @Test
    void filterPushDownSkipsFilesAndReadsFewerBytes() throws IOException {
        Dataset all = files().filter(col("id").ge(0L));
        assertEquals(4000, all.count());
        long bytesAll = all.stats().operators().getFirst().counter(ReadContext.BYTES_READ);
        Dataset one = files().filter(col("id").lt(1000L));
        assertEquals(1000, one.count());
        long bytesOne = one.stats().operators().getFirst().counter(ReadContext.BYTES_READ);
        assertEquals(1, one.stats().operators().getFirst().tasks(), one.stats().toString());
        assertEquals(bytesAll / 4, bytesOne, one.stats().toString());
    }

    @Test
    void aThrowingUdfNamesTheOperatorAndTheInputFile() throws IOException {
        Dataset ds = files().mapBatches(FilesAndSinksTest::explodeOnFirstFile, MapBatches.tasks().numCpus(0.5));
        WeftException e = assertThrows(WeftException.class, ds::takeAll);
        assertTrue(e.getMessage().contains("MapBatches(FilesAndSinksTest.explodeOnFirstFile)"), e.getMessage());
        assertTrue(e.getMessage().contains("part-0-999.arrow"), e.getMessage());
        assertTrue(e.getMessage().contains("bad row 0"), e.getMessage());
    }

    static VectorSchemaRoot explodeOnFirstFile(VectorSchemaRoot batch) {
        org.apache.arrow.vector.BigIntVector id = (org.apache.arrow.vector.BigIntVector) batch.getVector("id");
        for (int i = 0; i < batch.getRowCount(); i++) {
            if (id.get(i) == 0) {
                throw new IllegalStateException("bad row 0");
            }
        }
        return batch;
    }

    @Test
    void aWrongSchemaFromAUdfNamesTheColumn() throws IOException {
        Dataset ds = files().mapBatches(b -> {
            org.apache.arrow.vector.BigIntVector id = (org.apache.arrow.vector.BigIntVector) b.getVector("id");
            if (id.get(0) % 2000 == 0) {
                return b;
            }
            return VectorSchemaRoot.of(id);
        }, MapBatches.tasks().batchSize(500).numCpus(0.5));
        WeftException e = assertThrows(WeftException.class, ds::takeAll);
        assertTrue(e.getMessage().contains("column 'key' is missing"), e.getMessage());
    }

    @Test
    void aSuccessfulWriteCommitsEveryFile() throws IOException {
        Path out = dir.resolve("out");
        files().filter(col("x").lt(0.5)).write(new ArrowFilesSink(out.toString(), -1));
        List<Path> written;
        try (Stream<Path> s = Files.list(out)) {
            written = s.toList();
        }
        assertEquals(4, written.size(), written.toString());
        assertFalse(Files.exists(out.resolve("_temporary")));
        assertEquals(2000, Datasets.from(new ArrowFilesSource(out.toString(), null, null)).count());
    }

    @Test
    void aFailedWriteLeavesTheTargetUntouched() throws IOException {
        Path out = dir.resolve("out2");
        Files.createDirectories(out);
        Files.writeString(out.resolve("existing.txt"), "keep me");
        WeftException e = assertThrows(WeftException.class,
                () -> files().write(new ArrowFilesSink(out.toString(), 1)));
        assertTrue(e.getMessage().contains("injected failure"), e.getMessage());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(out.resolve("existing.txt")), s.toList());
        }
    }
}
