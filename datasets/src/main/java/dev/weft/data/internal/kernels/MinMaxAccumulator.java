package dev.weft.data.internal.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * {@code min} / {@code max} keeping the input type. Fixed-width values are kept as order-preserving long images
 * (the same images the radix sort uses), byte values (utf8, binary) as heap arrays compared as unsigned bytes.
 * The partial state is one column of the input type, null for groups that saw no value.
 */
final class MinMaxAccumulator extends Accumulator {
  private final Field column;
  private final boolean max;
  private final KeyColumn template;
  private long[] images;
  private byte[][] values;
  private boolean[] has = new boolean[16];

  MinMaxAccumulator(Aggregate spec, Field column) {
    super(spec);
    this.column = column;
    this.max = spec.kind() == Aggregate.Kind.MAX;
    KeyKind kind = KeyKind.of(column);
    if (kind == KeyKind.DECIMAL) {
      throw new IllegalArgumentException(
          "aggregate '" + spec.name() + "': min/max of decimal column '" + column.getName() + "' is not supported");
    }
    this.template = KeyColumn.fromLongs(column, new long[0], null, 0);
    if (kind == KeyKind.BYTES || kind == KeyKind.FIXED_BYTES) {
      values = new byte[16][];
    } else {
      images = new long[16];
    }
  }

  @Override
  void ensureGroups(int groups) {
    if (groups > has.length) {
      int cap = Math.max(groups, has.length * 2);
      has = Arrays.copyOf(has, cap);
      if (images != null) {
        images = Arrays.copyOf(images, cap);
      } else {
        values = Arrays.copyOf(values, cap);
      }
    }
  }

  @Override
  void update(int[] groups, int n, BatchColumns batch) {
    fold(groups, n, batch.view(column.getName(), spec));
  }

  @Override
  void merge(int[] groups, int n, BatchColumns partial) {
    fold(groups, n, partial.view(stateName(max ? "max" : "min"), spec));
  }

  /**
   * A min or max of byte values over one group: the best row of the chunk is tracked by position and compared
   * in place, and only the chunk's winner is copied out (the general path wraps the current best per row).
   */
  @Override
  void updateGlobal(int[] zeros, int n, BatchColumns batch) {
    if (images != null) {
      update(zeros, n, batch);
      return;
    }
    KeyColumn c = batch.view(column.getName(), spec);
    boolean[] nulls = c.nulls;
    MemorySegment bestBytes = has[0] ? MemorySegment.ofArray(values[0]) : null;
    long bestFrom = 0;
    long bestTo = has[0] ? values[0].length : 0;
    int bestRow = -1;
    for (int i = 0; i < n; i++) {
      if (nulls != null && nulls[i]) {
        continue;
      }
      long from = c.start(i);
      long to = c.end(i);
      if (bestBytes != null) {
        int cmp = Segments.compareBytes(c.bytes, from, to, bestBytes, bestFrom, bestTo);
        if (max ? cmp <= 0 : cmp >= 0) {
          continue;
        }
      }
      bestBytes = c.bytes;
      bestFrom = from;
      bestTo = to;
      bestRow = i;
    }
    if (bestRow >= 0) {
      values[0] = c.bytesAt(bestRow);
      has[0] = true;
    }
  }

  private void fold(int[] groups, int n, KeyColumn c) {
    boolean[] nulls = c.nulls;
    if (images != null) {
      long[] v = c.longs;
      for (int i = 0; i < n; i++) {
        if (nulls != null && nulls[i]) {
          continue;
        }
        int g = groups[i];
        long im = Sorter.sortableImage(c, v[i]);
        if (!has[g] || (max ? im > images[g] : im < images[g])) {
          images[g] = im;
          has[g] = true;
        }
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      if (nulls != null && nulls[i]) {
        continue;
      }
      int g = groups[i];
      if (!has[g] || better(c.bytes, c.start(i), c.end(i), values[g])) {
        values[g] = c.bytesAt(i);
        has[g] = true;
      }
    }
  }

  private boolean better(MemorySegment s, long from, long to, byte[] current) {
    int c = Segments.compareBytes(s, from, to, MemorySegment.ofArray(current), 0, current.length);
    return max ? c > 0 : c < 0;
  }

  @Override
  List<Field> partialFields() {
    return List.of(renamed(stateName(max ? "max" : "min")));
  }

  private Field renamed(String name) {
    return new Field(name, org.apache.arrow.vector.types.pojo.FieldType.nullable(column.getType()), null);
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
    Field f = renamed(name);
    if (images == null) {
      byte[][] out = Arrays.copyOf(values, groups);
      for (int g = 0; g < groups; g++) {
        if (!has[g]) {
          out[g] = null;
        }
      }
      return KeyColumn.fromBytes(f, out, groups).toVector(allocator);
    }
    long[] raw = new long[groups];
    boolean[] nulls = new boolean[groups];
    for (int g = 0; g < groups; g++) {
      // The image transform is its own inverse.
      raw[g] = Sorter.sortableImage(template, images[g]);
      nulls[g] = !has[g];
    }
    return KeyColumn.fromLongs(f, raw, nulls, groups).toVector(allocator);
  }
}
