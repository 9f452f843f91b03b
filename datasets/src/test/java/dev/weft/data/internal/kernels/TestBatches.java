package dev.weft.data.internal.kernels;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.Text;

/** Random test batches with nulls and duplicate keys, and plain-Java views of batches for reference checks. */
final class TestBatches {
  private TestBatches() {}

  /**
   * Columns: k64 int64 (keys in [0, distinct), 10% null), k32 int32 ([0, 50), 5% null), f64 float64 (some null,
   * some -0.0/NaN), s utf8 (short strings over a small alphabet, 10% null), b binary (4-12 bytes), flag bool.
   */
  static VectorSchemaRoot random(BufferAllocator allocator, int rows, int distinct, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    BigIntVector k64 = new BigIntVector("k64", allocator);
    IntVector k32 = new IntVector("k32", allocator);
    Float8Vector f64 = new Float8Vector("f64", allocator);
    VarCharVector s = new VarCharVector("s", allocator);
    VarBinaryVector b = new VarBinaryVector("b", allocator);
    BitVector flag = new BitVector("flag", allocator);
    k64.allocateNew(rows);
    k32.allocateNew(rows);
    f64.allocateNew(rows);
    s.allocateNew(rows);
    b.allocateNew(rows);
    flag.allocateNew(rows);
    for (int i = 0; i < rows; i++) {
      if (rng.nextInt(10) != 0) {
        k64.set(i, rng.nextLong(distinct));
      }
      if (rng.nextInt(20) != 0) {
        k32.set(i, rng.nextInt(50) - 10);
      }
      int f = rng.nextInt(50);
      if (f == 0) {
        f64.set(i, -0.0);
      } else if (f == 1) {
        f64.set(i, Double.NaN);
      } else if (f > 4) {
        f64.set(i, rng.nextDouble() * 200 - 100);
      }
      if (rng.nextInt(10) != 0) {
        s.setSafe(i, letters(rng, rng.nextInt(4)).getBytes(StandardCharsets.UTF_8));
      }
      byte[] bytes = new byte[4 + rng.nextInt(9)];
      for (int j = 0; j < bytes.length; j++) {
        bytes[j] = (byte) rng.nextInt(3);
      }
      b.setSafe(i, bytes);
      if (rng.nextInt(7) != 0) {
        flag.set(i, rng.nextInt(2));
      }
    }
    List<FieldVector> cols = List.of(k64, k32, f64, s, b, flag);
    for (FieldVector v : cols) {
      v.setValueCount(rows);
    }
    return new VectorSchemaRoot(cols);
  }

  static String letters(SplittableRandom rng, int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) {
      c[i] = (char) ('a' + rng.nextInt(3));
    }
    return new String(c);
  }

  /** A one-column int64 batch. */
  static VectorSchemaRoot longs(BufferAllocator allocator, String name, Long... values) {
    BigIntVector v = new BigIntVector(name, allocator);
    v.allocateNew(values.length);
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        v.set(i, values[i]);
      }
    }
    v.setValueCount(values.length);
    return new VectorSchemaRoot(List.of((FieldVector) v));
  }

  /** Value of a cell in a comparable plain-Java form (utf8 as String, binary as hex, -0.0 as is). */
  static Object value(FieldVector v, int row) {
    if (v.isNull(row)) {
      return null;
    }
    Object o = v.getObject(row);
    return switch (o) {
      case Text t -> t.toString();
      case byte[] bytes -> HexFormat.of().formatHex(bytes);
      default -> o;
    };
  }

  static List<Object> row(VectorSchemaRoot root, int row) {
    List<Object> out = new ArrayList<>();
    for (FieldVector v : root.getFieldVectors()) {
      out.add(value(v, row));
    }
    return out;
  }

  static List<List<Object>> rows(VectorSchemaRoot root) {
    List<List<Object>> out = new ArrayList<>();
    for (int i = 0; i < root.getRowCount(); i++) {
      out.add(row(root, i));
    }
    return out;
  }

  static List<List<Object>> rows(List<VectorSchemaRoot> roots) {
    List<List<Object>> out = new ArrayList<>();
    for (VectorSchemaRoot r : roots) {
      out.addAll(rows(r));
    }
    return out;
  }

  /** Rows as strings, sorted: for comparing outputs whose order is unspecified. */
  static List<String> sorted(List<List<Object>> rows) {
    String[] s = rows.stream().map(Object::toString).toArray(String[]::new);
    Arrays.sort(s);
    return Arrays.asList(s);
  }

  static void closeAll(List<VectorSchemaRoot> roots) {
    roots.forEach(VectorSchemaRoot::close);
  }
}
