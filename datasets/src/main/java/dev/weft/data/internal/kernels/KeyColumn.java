package dev.weft.data.internal.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * One key column in the form the kernels work on: fixed-width values widened to {@code long}s in a heap array, a
 * null mask, and for byte keys the offsets plus a segment over the bytes. Either a read-only view of one batch
 * ({@link #of}, valid while the batch is open) or a growable store of distinct keys ({@link #store}) that a hash
 * table appends to and later turns back into an Arrow vector ({@link #toVector}). Not thread-safe.
 */
final class KeyColumn {
  final Field field;
  final KeyKind kind;
  final int width;
  long[] longs;
  /** {@code null} when the column has no nulls. */
  boolean[] nulls;
  int[] offsets;
  MemorySegment bytes;
  private byte[] arena;
  int size;

  private KeyColumn(Field field, KeyKind kind, int width) {
    this.field = field;
    this.kind = kind;
    this.width = width;
  }

  /** A view of all of {@code vector}'s rows; reads the fixed-width values into a heap array. */
  static KeyColumn of(FieldVector vector) {
    return of(vector, 0, vector.getValueCount());
  }

  /**
   * A view of {@code vector}'s rows {@code [from, to)}, row {@code from} at index 0; reads the fixed-width values
   * into a heap array (byte keys keep the vector's own offsets, so {@link #offsets} hold absolute positions).
   */
  static KeyColumn of(FieldVector vector, int from, int to) {
    Field field = vector.getField();
    KeyColumn c = new KeyColumn(field, KeyKind.of(field), KeyKind.width(field));
    int n = to - from;
    c.size = n;
    if (vector.getNullCount() > 0) {
      boolean[] nulls = new boolean[n];
      MemorySegment validity = Segments.of(vector.getValidityBuffer());
      for (int i = 0; i < n; i++) {
        nulls[i] = !Segments.bit(validity, from + i);
      }
      c.nulls = nulls;
    }
    switch (c.kind) {
      case BYTES -> {
        BaseVariableWidthVector v = (BaseVariableWidthVector) vector;
        int[] offsets = new int[n + 1];
        if (n > 0) {
          MemorySegment.copy(Segments.of(v.getOffsetBuffer()), Segments.INT, 4L * from, offsets, 0, n + 1);
        }
        c.offsets = offsets;
        c.bytes = Segments.of(v.getDataBuffer());
      }
      case FIXED_BYTES, DECIMAL -> c.bytes =
          Segments.of(((BaseFixedWidthVector) vector).getDataBuffer()).asSlice((long) from * c.width);
      case BOOL -> {
        BitVector v = (BitVector) vector;
        long[] longs = new long[n];
        MemorySegment bits = Segments.of(v.getDataBuffer());
        for (int i = 0; i < n; i++) {
          longs[i] = Segments.bit(bits, from + i) ? 1 : 0;
        }
        c.longs = longs;
      }
      default -> c.longs = readLongs((BaseFixedWidthVector) vector, c.kind, c.width, from, n, c.nulls);
    }
    return c;
  }

  private static long[] readLongs(BaseFixedWidthVector v, KeyKind kind, int width, int from, int n,
                                  boolean[] nulls) {
    MemorySegment data = Segments.of(v.getDataBuffer()).asSlice((long) from * width);
    long[] out = new long[n];
    if (n == 0) {
      return out;
    }
    switch (width) {
      case 8 -> MemorySegment.copy(data, Segments.LONG, 0, out, 0, n);
      case 4 -> {
        if (kind == KeyKind.UNSIGNED) {
          for (int i = 0; i < n; i++) {
            out[i] = data.get(Segments.INT, 4L * i) & 0xFFFF_FFFFL;
          }
        } else {
          for (int i = 0; i < n; i++) {
            out[i] = data.get(Segments.INT, 4L * i);
          }
        }
      }
      case 2 -> {
        for (int i = 0; i < n; i++) {
          short s = data.get(Segments.SHORT, 2L * i);
          out[i] = kind == KeyKind.UNSIGNED ? s & 0xFFFF : s;
        }
      }
      case 1 -> {
        for (int i = 0; i < n; i++) {
          byte b = data.get(Segments.BYTE, i);
          out[i] = kind == KeyKind.UNSIGNED ? b & 0xFF : b;
        }
      }
      default -> throw new IllegalStateException("width " + width + " of column " + v.getName());
    }
    if (kind == KeyKind.FLOAT) {
      for (int i = 0; i < n; i++) {
        out[i] = width == 8 ? normalizeDouble(out[i]) : normalizeFloat((int) out[i]);
      }
    }
    if (nulls != null) {
      // Null slots hold arbitrary bytes; zero them so that code comparing raw longs never sees garbage.
      for (int i = 0; i < n; i++) {
        if (nulls[i]) {
          out[i] = 0;
        }
      }
    }
    return out;
  }

  static long normalizeDouble(long bits) {
    double d = Double.longBitsToDouble(bits);
    if (d == 0.0) {
      return 0L;
    }
    return Double.isNaN(d) ? Double.doubleToLongBits(Double.NaN) : bits;
  }

  static long normalizeFloat(int bits) {
    float f = Float.intBitsToFloat(bits);
    if (f == 0.0f) {
      return 0L;
    }
    return (Float.isNaN(f) ? Float.floatToIntBits(Float.NaN) : bits) & 0xFFFF_FFFFL;
  }

  /** An empty growable store for keys of {@code field}'s type. */
  static KeyColumn store(Field field, int capacity) {
    KeyColumn c = new KeyColumn(field, KeyKind.of(field), KeyKind.width(field));
    int cap = Math.max(16, capacity);
    switch (c.kind) {
      case BYTES, FIXED_BYTES, DECIMAL -> {
        c.arena = new byte[cap * 8];
        c.bytes = MemorySegment.ofArray(c.arena);
        c.offsets = new int[cap + 1];
      }
      default -> c.longs = new long[cap];
    }
    return c;
  }

  /** A column of {@code n} fixed-width values given as raw bits (as read by {@link #of}), null where flagged. */
  static KeyColumn fromLongs(Field field, long[] raw, boolean[] nulls, int n) {
    KeyColumn c = new KeyColumn(field, KeyKind.of(field), KeyKind.width(field));
    c.longs = raw;
    c.nulls = nulls;
    c.size = n;
    return c;
  }

  /** A column of {@code n} byte values ({@code null} entries are nulls), for utf8/binary/fixed-size binary. */
  static KeyColumn fromBytes(Field field, byte[][] values, int n) {
    KeyColumn c = new KeyColumn(field, KeyKind.of(field), KeyKind.width(field));
    long total = 0;
    for (int i = 0; i < n; i++) {
      total += values[i] == null ? 0 : values[i].length;
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("column '" + field.getName() + "' would hold " + total + " bytes (> 2 GiB)");
    }
    c.arena = new byte[(int) total];
    c.bytes = MemorySegment.ofArray(c.arena);
    c.offsets = new int[n + 1];
    int at = 0;
    for (int i = 0; i < n; i++) {
      if (values[i] == null) {
        if (c.nulls == null) {
          c.nulls = new boolean[n];
        }
        c.nulls[i] = true;
      } else {
        System.arraycopy(values[i], 0, c.arena, at, values[i].length);
        at += values[i].length;
      }
      c.offsets[i + 1] = at;
    }
    c.size = n;
    return c;
  }

  /** The bytes of row {@code i} (a byte-kind column), copied to the heap. */
  byte[] bytesAt(int i) {
    return bytes.asSlice(start(i), end(i) - start(i)).toArray(Segments.BYTE);
  }

  boolean isNull(int i) {
    return nulls != null && nulls[i];
  }

  long start(int i) {
    return kind == KeyKind.BYTES || arena != null ? offsets[i] : (long) i * width;
  }

  long end(int i) {
    return kind == KeyKind.BYTES || arena != null ? offsets[i + 1] : (long) (i + 1) * width;
  }

  /** Appends row {@code row} of {@code src} (same type) to this store. */
  void append(KeyColumn src, int row) {
    int at = size;
    boolean isNull = src.isNull(row);
    if (isNull && nulls == null) {
      nulls = new boolean[capacity()];
    }
    if (nulls != null && at >= nulls.length) {
      nulls = Arrays.copyOf(nulls, Math.max(16, nulls.length * 2));
    }
    if (arena == null) {
      if (at >= longs.length) {
        longs = Arrays.copyOf(longs, longs.length * 2);
      }
      longs[at] = src.longs[row];
    } else {
      if (at + 1 >= offsets.length) {
        offsets = Arrays.copyOf(offsets, offsets.length * 2);
      }
      long s = src.start(row);
      int len = isNull ? 0 : (int) (src.end(row) - s);
      int from = offsets[at];
      if ((long) from + len > arena.length) {
        long want = Math.max((long) arena.length * 2, (long) from + len);
        if (want > Integer.MAX_VALUE - 16) {
          throw new IllegalArgumentException(
              "distinct keys of column '" + field.getName() + "' exceed 2 GiB (" + want + " bytes)");
        }
        arena = Arrays.copyOf(arena, (int) want);
        bytes = MemorySegment.ofArray(arena);
      }
      if (len > 0) {
        Segments.copy(src.bytes, s, bytes, from, len);
      }
      offsets[at + 1] = from + len;
    }
    if (nulls != null) {
      nulls[at] = isNull;
    }
    size = at + 1;
  }

  private int capacity() {
    return arena == null ? longs.length : offsets.length - 1;
  }

  /** Whether the non-null values at row {@code i} here and row {@code j} of {@code o} are equal. */
  boolean equalsAt(int i, KeyColumn o, int j) {
    if (longs != null) {
      return longs[i] == o.longs[j];
    }
    return Segments.equalBytes(bytes, start(i), end(i), o.bytes, o.start(j), o.end(j));
  }

  /** Compares the non-null values at row {@code i} here and row {@code j} of {@code o}, ascending. */
  int compareAt(int i, KeyColumn o, int j) {
    switch (kind) {
      case SIGNED, BOOL -> {
        return Long.compare(longs[i], o.longs[j]);
      }
      case UNSIGNED -> {
        return Long.compareUnsigned(longs[i], o.longs[j]);
      }
      case FLOAT -> {
        return width == 8
            ? Double.compare(Double.longBitsToDouble(longs[i]), Double.longBitsToDouble(o.longs[j]))
            : Float.compare(Float.intBitsToFloat((int) longs[i]), Float.intBitsToFloat((int) o.longs[j]));
      }
      case DECIMAL -> {
        long s1 = start(i);
        long s2 = o.start(j);
        int c = Long.compare(bytes.get(Segments.LONG, s1 + 8), o.bytes.get(Segments.LONG, s2 + 8));
        return c != 0 ? c : Long.compareUnsigned(bytes.get(Segments.LONG, s1), o.bytes.get(Segments.LONG, s2));
      }
      default -> {
        return Segments.compareBytes(bytes, start(i), end(i), o.bytes, o.start(j), o.end(j));
      }
    }
  }

  /** Builds an Arrow vector of this store's {@code size} keys, allocated from {@code allocator}. */
  FieldVector toVector(BufferAllocator allocator) {
    return toVector(allocator, field.getName());
  }

  FieldVector toVector(BufferAllocator allocator, String name) {
    Field f = new Field(name, field.getFieldType(), field.getChildren());
    FieldVector vector = f.createVector(allocator);
    try {
      int n = size;
      switch (kind) {
        case BOOL -> {
          BitVector v = (BitVector) vector;
          v.allocateNew(n);
          for (int i = 0; i < n; i++) {
            if (!isNull(i)) {
              v.set(i, (int) longs[i]);
            }
          }
        }
        case BYTES -> {
          BaseVariableWidthVector v = (BaseVariableWidthVector) vector;
          v.allocateNew(Math.max(1, offsets[n]), n);
          MemorySegment off = Segments.of(v.getOffsetBuffer());
          MemorySegment.copy(offsets, 0, off, Segments.INT, 0, n + 1);
          if (offsets[n] > 0) {
            MemorySegment.copy(bytes, 0, Segments.of(v.getDataBuffer()), 0, offsets[n]);
          }
          setValidity(Segments.of(v.getValidityBuffer()), n);
          v.setLastSet(n - 1);
        }
        case FIXED_BYTES, DECIMAL -> {
          BaseFixedWidthVector v = (BaseFixedWidthVector) vector;
          v.allocateNew(n);
          MemorySegment data = Segments.of(v.getDataBuffer());
          for (int i = 0; i < n; i++) {
            if (!isNull(i)) {
              MemorySegment.copy(bytes, offsets[i], data, (long) i * width, width);
            }
          }
          setValidity(Segments.of(v.getValidityBuffer()), n);
        }
        default -> {
          BaseFixedWidthVector v = (BaseFixedWidthVector) vector;
          v.allocateNew(n);
          writeLongs(Segments.of(v.getDataBuffer()), longs, n, width);
          setValidity(Segments.of(v.getValidityBuffer()), n);
        }
      }
      vector.setValueCount(n);
      return vector;
    } catch (RuntimeException e) {
      vector.close();
      throw e;
    }
  }

  private void setValidity(MemorySegment validity, int n) {
    if (nulls == null) {
      Segments.setAll(validity, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      if (!isNull(i)) {
        Segments.setBit(validity, i);
      }
    }
  }

  /** Writes the low {@code width} bytes of each long, little-endian, as Arrow stores them. */
  static void writeLongs(MemorySegment data, long[] values, int n, int width) {
    switch (width) {
      case 8 -> {
        if (n > 0) {
          MemorySegment.copy(values, 0, data, Segments.LONG, 0, n);
        }
      }
      case 4 -> {
        for (int i = 0; i < n; i++) {
          data.set(Segments.INT, 4L * i, (int) values[i]);
        }
      }
      case 2 -> {
        for (int i = 0; i < n; i++) {
          data.set(Segments.SHORT, 2L * i, (short) values[i]);
        }
      }
      case 1 -> {
        for (int i = 0; i < n; i++) {
          data.set(Segments.BYTE, i, (byte) values[i]);
        }
      }
      default -> throw new IllegalStateException("width " + width);
    }
  }
}
