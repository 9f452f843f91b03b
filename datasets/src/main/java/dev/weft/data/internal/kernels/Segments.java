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
    return MemorySegment.ofAddress(buf.memoryAddress()).reinterpret(capacity);
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
