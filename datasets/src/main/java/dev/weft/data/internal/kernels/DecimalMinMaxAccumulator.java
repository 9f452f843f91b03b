package dev.weft.data.internal.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * {@code min} / {@code max} of a decimal column, keeping its precision and scale: each group's extreme is held as
 * the two 64-bit halves of its 128-bit unscaled value and compared as a signed 128-bit integer (no BigDecimal per
 * row). The partial state is one column of the input type, null for groups that saw no value.
 */
final class DecimalMinMaxAccumulator extends Accumulator {
  private final Field column;
  private final boolean max;
  private long[] highs = new long[16];
  private long[] lows = new long[16];
  private boolean[] has = new boolean[16];

  DecimalMinMaxAccumulator(Aggregate spec, Field column) {
    super(spec);
    this.column = column;
    this.max = spec.kind() == Aggregate.Kind.MAX;
  }

  @Override
  void ensureGroups(int groups) {
    if (groups > has.length) {
      int cap = Math.max(groups, has.length * 2);
      highs = Arrays.copyOf(highs, cap);
      lows = Arrays.copyOf(lows, cap);
      has = Arrays.copyOf(has, cap);
    }
  }

  private void fold(int[] groups, int n, FieldVector v, int from) {
    MemorySegment data = Segments.of(((DecimalVector) v).getDataBuffer());
    boolean nulls = v.getNullCount() > 0;
    MemorySegment validity = nulls ? Segments.of(v.getValidityBuffer()) : null;
    for (int i = 0; i < n; i++) {
      int r = from + i;
      if (nulls && !Segments.bit(validity, r)) {
        continue;
      }
      long lo = data.get(Segments.LONG, 16L * r);
      long hi = data.get(Segments.LONG, 16L * r + 8);
      int g = groups[i];
      if (!has[g]) {
        has[g] = true;
        highs[g] = hi;
        lows[g] = lo;
        continue;
      }
      int cmp = hi != highs[g] ? Long.compare(hi, highs[g]) : Long.compareUnsigned(lo, lows[g]);
      if (max ? cmp > 0 : cmp < 0) {
        highs[g] = hi;
        lows[g] = lo;
      }
    }
  }

  @Override
  void update(int[] groups, int n, BatchColumns batch) {
    fold(groups, n, batch.vector(column.getName(), spec), batch.from);
  }

  @Override
  void merge(int[] groups, int n, BatchColumns partial) {
    fold(groups, n, partial.vector(stateName(max ? "max" : "min"), spec), partial.from);
  }

  private Field renamed(String name) {
    return new Field(name, FieldType.nullable(column.getType()), null);
  }

  @Override
  List<Field> partialFields() {
    return List.of(renamed(stateName(max ? "max" : "min")));
  }

  @Override
  List<FieldVector> partial(int groups, BufferAllocator allocator) {
    return List.of(build(groups, allocator, stateName(max ? "max" : "min")));
  }

  @Override
  FieldVector result(int groups, BufferAllocator allocator) {
    return build(groups, allocator, spec.name());
  }

  private FieldVector build(int groups, BufferAllocator allocator, String name) {
    DecimalVector out = new DecimalVector(renamed(name), allocator);
    try {
      out.allocateNew(groups);
      MemorySegment data = Segments.of(out.getDataBuffer());
      for (int g = 0; g < groups; g++) {
        if (has[g]) {
          data.set(Segments.LONG, 16L * g, lows[g]);
          data.set(Segments.LONG, 16L * g + 8, highs[g]);
          out.setIndexDefined(g);
        } else {
          out.setNull(g);
        }
      }
      out.setValueCount(groups);
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }
}
