package dev.weft.bench.kernels;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Benchmark inputs: the same rows as Arrow batches (for the kernels) and as heap arrays (for the baselines). */
final class KernelData {
  final long[] keys;
  final double[] values;
  final String[] strings;
  final List<VectorSchemaRoot> batches = new ArrayList<>();

  /**
   * {@code rows} rows of (k int64 uniform in [0, keyRange), x float64 in [0, 1)), and if {@code withStrings} a utf8
   * column s of 16 letters, cut into Arrow batches of {@code batchRows}.
   */
  KernelData(BufferAllocator allocator, int rows, long keyRange, int batchRows, boolean withStrings, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    keys = new long[rows];
    values = new double[rows];
    strings = withStrings ? new String[rows] : null;
    for (int i = 0; i < rows; i++) {
      keys[i] = rng.nextLong(keyRange);
      values[i] = rng.nextDouble();
      if (withStrings) {
        char[] c = new char[16];
        for (int j = 0; j < 16; j++) {
          c[j] = (char) ('a' + rng.nextInt(26));
        }
        strings[i] = new String(c);
      }
    }
    for (int from = 0; from < rows; from += batchRows) {
      int n = Math.min(batchRows, rows - from);
      BigIntVector k = new BigIntVector("k", allocator);
      Float8Vector x = new Float8Vector("x", allocator);
      k.allocateNew(n);
      x.allocateNew(n);
      for (int i = 0; i < n; i++) {
        k.set(i, keys[from + i]);
        x.set(i, values[from + i]);
      }
      List<FieldVector> cols = new ArrayList<>(List.of(k, x));
      if (withStrings) {
        VarCharVector s = new VarCharVector("s", allocator);
        s.allocateNew(16L * n, n);
        for (int i = 0; i < n; i++) {
          s.set(i, strings[from + i].getBytes(StandardCharsets.US_ASCII));
        }
        cols.add(s);
      }
      cols.forEach(v -> v.setValueCount(n));
      batches.add(new VectorSchemaRoot(cols));
    }
  }

  void close() {
    batches.forEach(VectorSchemaRoot::close);
    batches.clear();
  }
}
