package dev.weft.data.internal.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.apache.arrow.memory.ArrowBuf;

/**
 * Bounds-checked {@link MemorySegment} views of Arrow buffers. The kernels read and write Arrow memory through
 * segments rather than {@link ArrowBuf} accessors because the latter check the reference count on every access,
 * which defeats loop optimisation in the tight per-column loops.
 */
final class Segments {
  static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
  static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
  static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
  static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
  static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;

  private Segments() {}

  /** A view of the whole buffer; valid only while the buffer is open (the caller keeps it open). */
  static MemorySegment of(ArrowBuf buf) {
    long capacity = buf.capacity();
    if (capacity == 0) {
      return MemorySegment.NULL;
    }
    return dev.weft.data.internal.arrow.Segments.of(buf.memoryAddress(), capacity);
  }

  /**
   * Copies {@code len} bytes. {@link MemorySegment#copy} costs hundreds of nanoseconds of checks per call, which
   * dominates when gathering short strings row by row; short runs are copied eight bytes at a time instead.
   */
  static void copy(MemorySegment src, long from, MemorySegment dst, long to, int len) {
    if (len >= 128) {
      MemorySegment.copy(src, from, dst, to, len);
      return;
    }
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      dst.set(LONG, to + i, src.get(LONG, from + i));
    }
    for (; i < len; i++) {
      dst.set(BYTE, to + i, src.get(BYTE, from + i));
    }
  }

  /** Compares two byte ranges as unsigned bytes, lexicographically (a shorter prefix sorts first). */
  static int compareBytes(MemorySegment a, long aFrom, long aTo, MemorySegment b, long bFrom, long bTo) {
    long aLen = aTo - aFrom;
    long bLen = bTo - bFrom;
    long n = Math.min(aLen, bLen);
    long i = 0;
    for (; i + 8 <= n; i += 8) {
      long x = a.get(LONG, aFrom + i);
      long y = b.get(LONG, bFrom + i);
      if (x != y) {
        // Little-endian loads: reverse so the first byte is the most significant.
        return Long.compareUnsigned(Long.reverseBytes(x), Long.reverseBytes(y));
      }
    }
    for (; i < n; i++) {
      int x = a.get(BYTE, aFrom + i) & 0xFF;
      int y = b.get(BYTE, bFrom + i) & 0xFF;
      if (x != y) {
        return Integer.compare(x, y);
      }
    }
    return Long.compare(aLen, bLen);
  }

  /** Whether two byte ranges hold the same bytes. */
  static boolean equalBytes(MemorySegment a, long aFrom, long aTo, MemorySegment b, long bFrom, long bTo) {
    long n = aTo - aFrom;
    if (n != bTo - bFrom) {
      return false;
    }
    long i = 0;
    for (; i + 8 <= n; i += 8) {
      if (a.get(LONG, aFrom + i) != b.get(LONG, bFrom + i)) {
        return false;
      }
    }
    for (; i < n; i++) {
      if (a.get(BYTE, aFrom + i) != b.get(BYTE, bFrom + i)) {
        return false;
      }
    }
    return true;
  }

  static boolean bit(MemorySegment bits, int i) {
    return ((bits.get(BYTE, i >>> 3) >> (i & 7)) & 1) != 0;
  }

  /** Sets bits {@code 0..n-1} of a zeroed bitmap: whole bytes at once, then the tail bit by bit. */
  static void setAll(MemorySegment bits, int n) {
    int full = n >>> 3;
    if (full > 0) {
      bits.asSlice(0, full).fill((byte) 0xFF);
    }
    for (int i = full << 3; i < n; i++) {
      setBit(bits, i);
    }
  }

  static void setBit(MemorySegment bits, int i) {
    long at = i >>> 3;
    bits.set(BYTE, at, (byte) (bits.get(BYTE, at) | (1 << (i & 7))));
  }
}
