package dev.weft.data.internal.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;

/** {@code count()} (every row) or {@code count(c)} (non-null values of c). */
final class CountAccumulator extends Accumulator {
  private final Field column;
  private long[] counts = new long[16];

  CountAccumulator(Aggregate spec, Field column) {
    super(spec);
    this.column = column;
  }

  @Override
  void ensureGroups(int groups) {
    if (groups > counts.length) {
      counts = Arrays.copyOf(counts, Math.max(groups, counts.length * 2));
    }
  }

  @Override
  void updateGlobal(int[] zeros, int n, BatchColumns batch) {
    if (column == null || batch.vector(column.getName(), spec).getNullCount() == 0) {
      counts[0] += n;
      return;
    }
    update(zeros, n, batch);
  }

  @Override
  void update(int[] groups, int n, BatchColumns batch) {
    long[] c = counts;
    if (column == null) {
      for (int i = 0; i < n; i++) {
        c[groups[i]]++;
      }
      return;
    }
    FieldVector v = batch.vector(column.getName(), spec);
    if (v.getNullCount() == 0) {
      for (int i = 0; i < n; i++) {
        c[groups[i]]++;
      }
      return;
    }
    MemorySegment validity = Segments.of(v.getValidityBuffer());
    int from = batch.from;
    for (int i = 0; i < n; i++) {
      if (Segments.bit(validity, from + i)) {
        c[groups[i]]++;
      }
    }
  }

  @Override
  void merge(int[] groups, int n, BatchColumns partial) {
    KeyColumn part = partial.view(stateName("count"), spec);
    long[] c = counts;
    for (int i = 0; i < n; i++) {
      c[groups[i]] += part.longs[i];
    }
  }

  @Override
  List<Field> partialFields() {
    return List.of(int64(stateName("count")));
  }

  @Override
  List<FieldVector> partial(int groups, BufferAllocator allocator) {
    return List.of(longs(int64(stateName("count")), counts, null, groups, allocator));
  }

  @Override
  FieldVector result(int groups, BufferAllocator allocator) {
    return longs(int64(spec.name()), counts, null, groups, allocator);
  }
}
