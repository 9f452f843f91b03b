package dev.weft.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/** Deterministic object contents: the bytes of object {@code n} follow from {@code n} alone. */
final class TestData {
    private TestData() {
    }

    static byte[] bytes(long n, int size) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom rng = new SplittableRandom(n * 0x9E3779B97F4A7C15L + 17);
        while (b.remaining() >= 8) {
            b.putLong(rng.nextLong());
        }
        while (b.hasRemaining()) {
            b.put((byte) rng.nextInt());
        }
        return b.array();
    }

    static void assertContent(long n, int size, MemorySegment actual) {
        assertEquals(size, actual.byteSize(), "size of object " + n);
        byte[] expected = bytes(n, size);
        long mismatch = MemorySegment.ofArray(expected).mismatch(actual);
        assertEquals(-1L, mismatch, "first differing byte of object " + n);
    }

    static byte[] copy(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_BYTE);
    }
}
