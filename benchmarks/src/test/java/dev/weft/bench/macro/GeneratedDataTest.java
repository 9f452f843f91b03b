package dev.weft.bench.macro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.bench.data.BenchDataset;
import dev.weft.bench.data.DataGenerator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator writes BENCHMARKS.md's rows exactly, recomputed here from the spec's own formulas. */
class GeneratedDataTest {

    private static final double SCALE = 0.0002; // 250 rows per big file

    @TempDir
    Path root;

    private static String letters(SplittableRandom rng, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + rng.nextInt(26)));
        }
        return sb.toString();
    }

    @Test
    void eventsRowsFollowTheSpecification() throws Exception {
        DataGenerator.ensure(root, SCALE, EnumSet.of(BenchDataset.EVENTS), 2);
        Path dir = root.resolve("events");
        assertEquals(16, ParquetColumnScan.files(dir).size());
        int f = 3;
        long rowsPerFile = BenchDataset.EVENTS.rowsPerFile(SCALE);
        List<String> actual = new ArrayList<>();
        ParquetColumnScan.scan(dir.resolve("part-00003.parquet"), List.of("id", "key", "x", "s", "ts"),
                r -> actual.add(r.getLong(0) + "," + r.getLong(1) + "," + r.getDouble(2) + ","
                        + r.getBinary(3).toStringUsingUTF8() + "," + r.getLong(4)));
        SplittableRandom rng = new SplittableRandom(1_000_000 + f);
        List<String> expected = new ArrayList<>();
        for (long i = 0; i < rowsPerFile; i++) {
            long id = f * rowsPerFile + i;
            long key = rng.nextLong(100000);
            double x = rng.nextDouble();
            String s = letters(rng, 16);
            long ts = 1_700_000_000_000L + id * 1000 + rng.nextInt(1000);
            expected.add(id + "," + key + "," + x + "," + s + "," + ts);
        }
        assertEquals(expected, actual);
    }

    @Test
    void dimAndSortinRowsFollowTheSpecification() throws Exception {
        DataGenerator.ensure(root, SCALE, EnumSet.of(BenchDataset.DIM, BenchDataset.SORTIN), 2);
        SplittableRandom dimRng = new SplittableRandom(2_000_000);
        List<String> dim = new ArrayList<>();
        ParquetColumnScan.scan(root.resolve("dim/part-00000.parquet"), List.of("key", "name", "weight"),
                r -> dim.add(r.getLong(0) + "," + r.getBinary(1).toStringUsingUTF8() + "," + r.getDouble(2)));
        assertEquals(10_000, dim.size());
        for (int key = 0; key < 10_000; key++) {
            assertEquals(key + "," + letters(dimRng, 12) + "," + dimRng.nextDouble(), dim.get(key));
        }
        SplittableRandom rng = new SplittableRandom(3_000_000 + 15);
        List<long[]> rows = new ArrayList<>();
        ParquetColumnScan.scan(root.resolve("sortin/part-00015.parquet"), List.of("k", "payload"), r -> {
            ByteBuffer p = r.getBinary(1).toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long[] row = new long[9];
            row[0] = r.getLong(0);
            for (int j = 0; j < 8; j++) {
                row[j + 1] = p.getLong();
            }
            rows.add(row);
        });
        assertEquals(BenchDataset.SORTIN.rowsPerFile(SCALE), rows.size());
        for (long[] row : rows) {
            long[] expected = new long[9];
            for (int j = 0; j < 9; j++) {
                expected[j] = rng.nextLong();
            }
            assertArrayEquals(expected, row);
        }
    }

    @Test
    void presentDataIsKeptAndOtherScalesRegenerate() throws Exception {
        DataGenerator.ensure(root, SCALE, EnumSet.of(BenchDataset.DIM), 1);
        Path marker = root.resolve("dim").resolve(DataGenerator.MARKER);
        long written = Files.getLastModifiedTime(marker).toMillis();
        assertTrue(DataGenerator.isComplete(root.resolve("dim"), BenchDataset.DIM, SCALE));
        DataGenerator.ensure(root, SCALE, EnumSet.of(BenchDataset.DIM), 1);
        assertEquals(written, Files.getLastModifiedTime(marker).toMillis());
        DataGenerator.ensure(root, SCALE * 2, EnumSet.of(BenchDataset.EVENTS_1M), 1);
        assertEquals(SCALE * 2, DataGenerator.markerScale(root.resolve("events1m")));
        String text = Files.readString(marker, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("rows=10000"), text);
    }
}
