package dev.weft.data.internal.arrow;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.apache.arrow.memory.ArrowBuf;

/**
 * Bulk access to Arrow buffers through {@link MemorySegment}s: whole-column copies between buffers and Java
 * arrays, which the JIT turns into memcpy/vector loops instead of one bounds-checked call per value.
 */
public final class Segments {
    private Segments() {
    }

    /**
     * All of the address space, made once: {@code reinterpret} is caller-sensitive, and when the JIT does not
     * inline it, each call walks the stack to check native access (2 % of a row map's samples, made per run of
     * values); {@code asSlice} of this segment makes the same view without the check.
     */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** A segment over the buffer's memory (valid while the buffer is). */
    public static MemorySegment of(ArrowBuf buf) {
        return of(buf.memoryAddress(), buf.capacity());
    }

    /** A segment over {@code bytes} bytes of native memory at {@code address} (valid while that memory is). */
    public static MemorySegment of(long address, long bytes) {
        return ALL.asSlice(address, bytes);
    }

    public static void readLongs(ArrowBuf buf, long[] dst, int n) {
        MemorySegment.copy(of(buf), ValueLayout.JAVA_LONG_UNALIGNED, 0, dst, 0, n);
    }

    public static void readDoubles(ArrowBuf buf, double[] dst, int n) {
        MemorySegment.copy(of(buf), ValueLayout.JAVA_DOUBLE_UNALIGNED, 0, dst, 0, n);
    }

    public static void writeLongs(long[] src, ArrowBuf buf, int n) {
        MemorySegment.copy(src, 0, of(buf), ValueLayout.JAVA_LONG_UNALIGNED, 0, n);
    }

    public static void writeDoubles(double[] src, ArrowBuf buf, int n) {
        MemorySegment.copy(src, 0, of(buf), ValueLayout.JAVA_DOUBLE_UNALIGNED, 0, n);
    }

    public static void writeInts(int[] src, ArrowBuf buf, int n) {
        MemorySegment.copy(src, 0, of(buf), ValueLayout.JAVA_INT_UNALIGNED, 0, n);
    }

    /** The first {@code (n + 7) / 8} bytes of a bitmap. */
    public static byte[] readBits(ArrowBuf buf, int n) {
        byte[] out = new byte[(n + 7) / 8];
        MemorySegment.copy(of(buf), ValueLayout.JAVA_BYTE, 0, out, 0, out.length);
        return out;
    }

    public static void writeBits(byte[] bits, ArrowBuf buf) {
        MemorySegment.copy(bits, 0, of(buf), ValueLayout.JAVA_BYTE, 0, bits.length);
    }

    /** Packs booleans into an Arrow bitmap (LSB first). */
    public static byte[] pack(boolean[] values, int n) {
        byte[] out = new byte[(n + 7) / 8];
        for (int i = 0; i < n; i++) {
            if (values[i]) {
                out[i >> 3] |= (byte) (1 << (i & 7));
            }
        }
        return out;
    }
}
