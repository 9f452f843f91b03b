package dev.weft.connectors.internal.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bulk decoder against parquet-mr's own encoder: runs, bit-packed groups and odd tails, at every width. */
class RleBitPackedDecoderTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 7, 8, 9, 13, 17, 24, 31})
    void decodesWhatParquetMrEncodes(int bitWidth) throws Exception {
        SplittableRandom rng = new SplittableRandom(bitWidth);
        int n = 10_007;
        int[] values = new int[n];
        long max = bitWidth == 0 ? 0 : (1L << bitWidth) - 1;
        for (int i = 0; i < n; ) {
            // Alternate long repeats (RLE runs) and random stretches (bit-packed groups).
            int len = 1 + rng.nextInt(40);
            boolean repeat = rng.nextBoolean();
            int v = (int) (max == 0 ? 0 : rng.nextLong(max + 1));
            for (int k = 0; k < len && i < n; k++, i++) {
                values[i] = repeat ? v : (int) (max == 0 ? 0 : rng.nextLong(max + 1));
            }
        }
        RunLengthBitPackingHybridEncoder enc = new RunLengthBitPackingHybridEncoder(bitWidth, 64, 1 << 20,
                new HeapByteBufferAllocator());
        for (int v : values) {
            enc.writeInt(v);
        }
        byte[] bytes = enc.toBytes().toByteArray();
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        // Bulk reads of uneven sizes, then single values.
        RleBitPackedDecoder d = new RleBitPackedDecoder(buf, 0, bytes.length, bitWidth);
        int[] out = new int[n];
        int at = 0;
        int step = 1;
        while (at < n - 100) {
            int k = Math.min(step, n - 100 - at);
            d.read(out, at, k);
            at += k;
            step = step * 3 % 97 + 1;
        }
        while (at < n) {
            out[at++] = d.next();
        }
        assertArrayEquals(values, out);
        assertEquals(n, out.length);
    }
}
