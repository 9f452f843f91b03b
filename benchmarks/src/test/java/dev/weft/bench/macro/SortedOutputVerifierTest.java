package dev.weft.bench.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.bench.data.BenchDataset;
import dev.weft.bench.data.DataGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unsorted input is reported as out of order; its summary matches itself whatever the file order. */
class SortedOutputVerifierTest {

    @TempDir
    Path root;

    @Test
    void unsortedFilesAreNotOrderedButHaveTheInputsContent() throws Exception {
        DataGenerator.ensure(root, 0.0001, EnumSet.of(BenchDataset.SORTIN), 2);
        Path in = root.resolve("sortin");
        Map<String, Object> input = SortedOutputVerifier.summarizeInput(in);
        Map<String, Object> asOutput = new LinkedHashMap<>(SortedOutputVerifier.verifyOutput(in));
        assertEquals(false, asOutput.get("ordered"));
        asOutput.remove("first_disorder");
        asOutput.put("ordered", true);
        assertEquals(input, asOutput);
        assertEquals(BenchDataset.SORTIN.totalRows(0.0001), input.get("rows"));
        // Dropping a file changes the content checks.
        Files.delete(in.resolve("part-00000.parquet"));
        Map<String, Object> fewer = SortedOutputVerifier.summarizeInput(in);
        assertEquals(false, input.get("checksum").equals(fewer.get("checksum")));
    }
}
