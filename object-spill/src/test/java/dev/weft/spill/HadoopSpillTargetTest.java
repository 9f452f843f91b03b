package dev.weft.spill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Hadoop target's per-file sequential readers, through Hadoop's local file system. */
class HadoopSpillTargetTest {
    private static final int RECORDS = 32;
    private static final int HEAD = 24;

    @TempDir
    Path dir;

    @Test
    void concurrentRecordReadsInAnyOrderGetTheirOwnBytesAndChecksumSlices() throws Exception {
        Random rng = new Random(7);
        List<byte[]> records = new ArrayList<>();
        long[] offsets = new long[RECORDS];
        try (SpillTarget target = new HadoopSpillTarget(dir.toUri(), Map.of())) {
            target.checkWritable();
            SpillWriter writer = target.create("f.spill");
            for (int i = 0; i < RECORDS; i++) {
                // Up to 2 MiB: runs of neighbouring records span the 4 MiB read chunks and their boundaries.
                byte[] bytes = new byte[HEAD + 1 + rng.nextInt(2 << 20)];
                rng.nextBytes(bytes);
                records.add(bytes);
                offsets[i] = writer.position();
                writer.write(MemorySegment.ofArray(bytes));
            }
            writer.commit();

            int threads = 6;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long seed = t;
                    done.add(pool.submit(() -> readAllShuffled(target, records, offsets, seed)));
                }
                for (Future<Integer> f : done) {
                    assertEquals(RECORDS, f.get());
                }
            } finally {
                pool.shutdownNow();
            }

            // A read past the end fails alone; the file's reader keeps serving the next request.
            long end = offsets[RECORDS - 1] + records.get(RECORDS - 1).length;
            assertThrows(IOException.class, () -> target.read("f.spill", end - 4, MemorySegment.ofArray(new byte[8])));
            byte[] first = new byte[records.get(0).length];
            target.read("f.spill", 0, MemorySegment.ofArray(first));
            assertArrayEquals(records.get(0), first);
            target.delete("f.spill");
        }
    }

    private static int readAllShuffled(SpillTarget target, List<byte[]> records, long[] offsets, long seed)
            throws IOException {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        int ok = 0;
        for (int i : order) {
            byte[] expected = records.get(i);
            byte[] head = new byte[HEAD];
            byte[] body = new byte[expected.length - HEAD];
            CRC32C crc = new CRC32C();
            target.readRecord("f.spill", offsets[i], MemorySegment.ofArray(head), MemorySegment.ofArray(body),
                    slice -> crc.update(slice.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
            assertArrayEquals(Arrays.copyOf(expected, HEAD), head, "head of record " + i);
            assertArrayEquals(Arrays.copyOfRange(expected, HEAD, expected.length), body, "body of record " + i);
            CRC32C want = new CRC32C();
            want.update(expected, HEAD, expected.length - HEAD);
            assertEquals(want.getValue(), crc.getValue(), "slices of record " + i);
            ok++;
        }
        return ok;
    }
}
