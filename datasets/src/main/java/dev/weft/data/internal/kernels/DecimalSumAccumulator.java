package dev.weft.data.internal.kernels;

import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * {@code sum} and {@code mean} of a decimal column, exact: each group's sum is an unscaled {@code long} until it
 * would overflow, then a {@code BigInteger}. Result types follow Spark: a sum of {@code DECIMAL(p, s)} is
 * {@code DECIMAL(min(38, p + 10), s)}, a mean {@code DECIMAL(min(38, p + 4), min(38, s + 4))} rounded half up.
 */
final class DecimalSumAccumulator extends Accumulator {
  private final Field column;
  private final int precision;
  private final int scale;
  private long[] sums = new long[16];
  private BigInteger[] overflowed = new BigInteger[16];
  private long[] counts = new long[16];

  DecimalSumAccumulator(Aggregate spec, Field column) {
    super(spec);
    this.column = column;
    ArrowType.Decimal d = (ArrowType.Decimal) column.getType();
    this.precision = d.getPrecision();
    this.scale = d.getScale();
  }

  @Override
  void ensureGroups(int groups) {
    if (groups > sums.length) {
      int size = Math.max(groups, sums.length * 2);
      sums = Arrays.copyOf(sums, size);
      overflowed = Arrays.copyOf(overflowed, size);
      counts = Arrays.copyOf(counts, size);
    }
  }

  private void add(int g, long lo, long hi) {
    counts[g]++;
    if (overflowed[g] == null && hi == (lo >> 63)) {
      long s = sums[g];
      long r = s + lo;
      if (((s ^ r) & (lo ^ r)) >= 0) {
        sums[g] = r;
        return;
      }
    }
    BigInteger value = hi == (lo >> 63) ? BigInteger.valueOf(lo)
        : BigInteger.valueOf(hi).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(lo)));
    BigInteger base = overflowed[g] == null ? BigInteger.valueOf(sums[g]) : overflowed[g];
    overflowed[g] = base.add(value);
  }

  private void addAll(int[] groups, int n, FieldVector v, int from, long[] counted) {
    MemorySegment data = Segments.of(((DecimalVector) v).getDataBuffer());
    boolean nulls = v.getNullCount() > 0;
    MemorySegment validity = nulls ? Segments.of(v.getValidityBuffer()) : null;
    for (int i = 0; i < n; i++) {
      int r = from + i;
      if (nulls && !Segments.bit(validity, r)) {
        continue;
      }
      add(groups[i], data.get(Segments.LONG, 16L * r), data.get(Segments.LONG, 16L * r + 8));
      if (counted != null) {
        counts[groups[i]] += counted[i] - 1;
      }
    }
  }

  @Override
  void update(int[] groups, int n, BatchColumns batch) {
    addAll(groups, n, batch.vector(column.getName(), spec), batch.from, null);
  }

  @Override
  void merge(int[] groups, int n, BatchColumns partial) {
    KeyColumn count = partial.view(stateName("count"), spec);
    addAll(groups, n, partial.vector(stateName("sum"), spec), partial.from, count.longs);
  }

  private Field sumField(String name) {
    return new Field(name, FieldType.nullable(new ArrowType.Decimal(38, scale, 128)), null);
  }

  @Override
  List<Field> partialFields() {
    return List.of(sumField(stateName("sum")), int64(stateName("count")));
  }

  private BigDecimal sum(int g) {
    return new BigDecimal(overflowed[g] != null ? overflowed[g] : BigInteger.valueOf(sums[g]), scale);
  }

  private FieldVector decimals(Field field, int groups, boolean mean, BufferAllocator allocator) {
    ArrowType.Decimal type = (ArrowType.Decimal) field.getType();
    DecimalVector out = new DecimalVector(field, allocator);
    try {
      out.allocateNew(groups);
      for (int g = 0; g < groups; g++) {
        if (counts[g] == 0) {
          out.setNull(g);
          continue;
        }
        BigDecimal v = sum(g);
        v = mean ? v.divide(BigDecimal.valueOf(counts[g]), type.getScale(), RoundingMode.HALF_UP)
            : v.setScale(type.getScale(), RoundingMode.HALF_UP);
        if (v.precision() > type.getPrecision()) {
          throw new dev.weft.api.WeftException(dev.weft.api.ErrorType.USER_ERROR, "aggregate '" + spec.name()
              + "': " + v.toPlainString() + " does not fit " + type);
        }
        out.setSafe(g, v);
      }
      out.setValueCount(groups);
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  @Override
  List<FieldVector> partial(int groups, BufferAllocator allocator) {
    FieldVector sum = decimals(sumField(stateName("sum")), groups, false, allocator);
    try {
      return List.of(sum, longs(int64(stateName("count")), counts, null, groups, allocator));
    } catch (RuntimeException e) {
      sum.close();
      throw e;
    }
  }

  @Override
  FieldVector result(int groups, BufferAllocator allocator) {
    boolean mean = spec.kind() == Aggregate.Kind.MEAN;
    ArrowType.Decimal type = mean
        ? new ArrowType.Decimal(Math.min(38, precision + 4), Math.min(38, scale + 4), 128)
        : new ArrowType.Decimal(Math.min(38, precision + 10), scale, 128);
    return decimals(new Field(spec.name(), FieldType.nullable(type), null), groups, mean, allocator);
  }
}
