package dev.weft.data.internal.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * {@code sum}, {@code mean} and {@code std} of a numeric column. Integer sums stay exact in a {@code long};
 * {@code std} keeps (count, mean, M2) per group — Welford's update per row and Chan's formula to merge partials —
 * which, unlike (count, sum, sum of squares), does not cancel catastrophically when the mean dwarfs the spread.
 */
final class MomentsAccumulator extends Accumulator {
  private final Field column;
  private final boolean integerSum;
  private long[] count = new long[16];
  private long[] longSum;
  private double[] sum;
  private double[] mean;
  private double[] m2;

  MomentsAccumulator(Aggregate spec, Field column) {
    super(spec);
    this.column = column;
    this.integerSum = spec.kind() == Aggregate.Kind.SUM && column.getType() instanceof ArrowType.Int;
    if (integerSum) {
      longSum = new long[16];
    } else if (spec.kind() == Aggregate.Kind.STD) {
      mean = new double[16];
      m2 = new double[16];
    } else {
      sum = new double[16];
    }
  }

  @Override
  void ensureGroups(int groups) {
    if (groups > count.length) {
      int cap = Math.max(groups, count.length * 2);
      count = Arrays.copyOf(count, cap);
      if (longSum != null) {
        longSum = Arrays.copyOf(longSum, cap);
      }
      if (sum != null) {
        sum = Arrays.copyOf(sum, cap);
      }
      if (mean != null) {
        mean = Arrays.copyOf(mean, cap);
        m2 = Arrays.copyOf(m2, cap);
      }
    }
  }

  /**
   * A sum or mean of a float64 or int64 column over one group, straight from the vector's buffers: one running
   * total in a register instead of a heap copy of the column and a store to the group's slot per row. Values are
   * added in row order, as {@link #update} does, so the result is the same to the bit (-0.0 counts as 0.0 there
   * too). Anything else takes the general path.
   */
  @Override
  void updateGlobal(int[] zeros, int n, BatchColumns batch) {
    FieldVector v = batch.vector(column.getName(), spec);
    boolean doubles = sum != null && v instanceof Float8Vector;
    boolean longs = integerSum && v instanceof BigIntVector;
    if (!doubles && !longs) {
      update(zeros, n, batch);
      return;
    }
    MemorySegment data = Segments.of(((BaseFixedWidthVector) v).getDataBuffer());
    MemorySegment valid = v.getNullCount() == 0 ? null : Segments.of(v.getValidityBuffer());
    int from = batch.from;
    long counted = 0;
    if (doubles) {
      double s = sum[0];
      for (int i = from; i < from + n; i++) {
        if (valid == null || Segments.bit(valid, i)) {
          double d = data.getAtIndex(Segments.DOUBLE, i);
          s += d == 0.0 ? 0.0 : d;
          counted++;
        }
      }
      sum[0] = s;
    } else {
      long s = longSum[0];
      for (int i = from; i < from + n; i++) {
        if (valid == null || Segments.bit(valid, i)) {
          s += data.getAtIndex(Segments.LONG, i);
          counted++;
        }
      }
      longSum[0] = s;
    }
    count[0] += counted;
  }

  @Override
  void update(int[] groups, int n, BatchColumns batch) {
    KeyColumn c = batch.view(column.getName(), spec);
    boolean[] nulls = c.nulls;
    long[] cnt = count;
    if (integerSum) {
      long[] v = c.longs;
      long[] s = longSum;
      for (int i = 0; i < n; i++) {
        if (nulls == null || !nulls[i]) {
          int g = groups[i];
          s[g] += v[i];
          cnt[g]++;
        }
      }
      return;
    }
    double[] v = batch.doubles(column.getName(), spec);
    if (mean != null) {
      for (int i = 0; i < n; i++) {
        if (nulls == null || !nulls[i]) {
          int g = groups[i];
          long k = ++cnt[g];
          double delta = v[i] - mean[g];
          mean[g] += delta / k;
          m2[g] += delta * (v[i] - mean[g]);
        }
      }
      return;
    }
    double[] s = sum;
    if (nulls == null) {
      for (int i = 0; i < n; i++) {
        int g = groups[i];
        s[g] += v[i];
        cnt[g]++;
      }
    } else {
      for (int i = 0; i < n; i++) {
        if (!nulls[i]) {
          int g = groups[i];
          s[g] += v[i];
          cnt[g]++;
        }
      }
    }
  }

  @Override
  void merge(int[] groups, int n, BatchColumns partial) {
    long[] pc = partial.view(stateName("count"), spec).longs;
    long[] cnt = count;
    if (integerSum) {
      long[] ps = partial.view(stateName("sum"), spec).longs;
      for (int i = 0; i < n; i++) {
        int g = groups[i];
        longSum[g] += ps[i];
        cnt[g] += pc[i];
      }
    } else if (mean != null) {
      double[] pm = partial.doubles(stateName("mean"), spec);
      double[] pm2 = partial.doubles(stateName("m2"), spec);
      for (int i = 0; i < n; i++) {
        if (pc[i] == 0) {
          continue;
        }
        int g = groups[i];
        long na = cnt[g];
        long nb = pc[i];
        long total = na + nb;
        double delta = pm[i] - mean[g];
        mean[g] += delta * nb / total;
        m2[g] += pm2[i] + delta * delta * ((double) na * nb / total);
        cnt[g] = total;
      }
    } else {
      double[] ps = partial.doubles(stateName("sum"), spec);
      for (int i = 0; i < n; i++) {
        int g = groups[i];
        sum[g] += ps[i];
        cnt[g] += pc[i];
      }
    }
  }

  @Override
  List<Field> partialFields() {
    if (integerSum) {
      return List.of(int64(stateName("count")), int64(stateName("sum")));
    }
    if (mean != null) {
      return List.of(int64(stateName("count")), float64(stateName("mean")), float64(stateName("m2")));
    }
    return List.of(int64(stateName("count")), float64(stateName("sum")));
  }

  @Override
  List<FieldVector> partial(int groups, BufferAllocator allocator) {
    List<Field> f = partialFields();
    FieldVector c = longs(f.get(0), count, null, groups, allocator);
    try {
      if (integerSum) {
        return List.of(c, longs(f.get(1), longSum, null, groups, allocator));
      }
      if (mean != null) {
        FieldVector a = doubles(f.get(1), mean, null, groups, allocator);
        try {
          return List.of(c, a, doubles(f.get(2), m2, null, groups, allocator));
        } catch (RuntimeException e) {
          a.close();
          throw e;
        }
      }
      return List.of(c, doubles(f.get(1), sum, null, groups, allocator));
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  @Override
  FieldVector result(int groups, BufferAllocator allocator) {
    boolean[] valid = new boolean[groups];
    for (int g = 0; g < groups; g++) {
      valid[g] = count[g] > (spec.kind() == Aggregate.Kind.STD ? 1 : 0);
    }
    return switch (spec.kind()) {
      case SUM -> integerSum
          ? longs(int64(spec.name()), longSum, valid, groups, allocator)
          : doubles(float64(spec.name()), sum, valid, groups, allocator);
      case MEAN -> {
        double[] out = new double[groups];
        for (int g = 0; g < groups; g++) {
          out[g] = valid[g] ? sum[g] / count[g] : 0;
        }
        yield doubles(float64(spec.name()), out, valid, groups, allocator);
      }
      default -> {
        double[] out = new double[groups];
        for (int g = 0; g < groups; g++) {
          out[g] = valid[g] ? Math.sqrt(m2[g] / (count[g] - 1)) : 0;
        }
        yield doubles(float64(spec.name()), out, valid, groups, allocator);
      }
    };
  }
}
