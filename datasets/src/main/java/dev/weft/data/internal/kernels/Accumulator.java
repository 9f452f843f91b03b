package dev.weft.data.internal.kernels;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * The per-group state of one {@link Aggregate}, held in primitive arrays indexed by group id. {@link #update}
 * folds raw input rows in, {@link #merge} folds partial states (as written by {@link #partial}) in, and
 * {@link #result} writes the final column. Not thread-safe.
 */
abstract class Accumulator {
  final Aggregate spec;

  Accumulator(Aggregate spec) {
    this.spec = spec;
  }

  static Accumulator create(Aggregate spec, org.apache.arrow.vector.types.pojo.Schema input) {
    if (spec.kind() == Aggregate.Kind.COUNT_ALL) {
      return new CountAccumulator(spec, null);
    }
    Field field;
    try {
      field = input.findField(spec.column());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "aggregate '" + spec.name() + "': no column '" + spec.column() + "' in " + input.getFields().stream()
              .map(Field::getName).toList());
    }
    return switch (spec.kind()) {
      case COUNT -> new CountAccumulator(spec, field);
      case SUM, MEAN -> field.getType() instanceof ArrowType.Decimal
          ? new DecimalSumAccumulator(spec, field) : new MomentsAccumulator(spec, numeric(spec, field));
      case STD -> new MomentsAccumulator(spec, numeric(spec, field));
      case MIN, MAX -> field.getType() instanceof ArrowType.Decimal
          ? new DecimalMinMaxAccumulator(spec, field) : new MinMaxAccumulator(spec, field);
      case COUNT_DISTINCT -> new CountDistinctAccumulator(spec, field);
      case COUNT_ALL -> throw new IllegalStateException();
    };
  }

  private static Field numeric(Aggregate spec, Field field) {
    if (!(field.getType() instanceof ArrowType.Int) && !(field.getType() instanceof ArrowType.FloatingPoint fp
        && fp.getPrecision() != FloatingPointPrecision.HALF)) {
      throw new IllegalArgumentException(
          "aggregate '" + spec.name() + "' needs a numeric column, but '" + field.getName() + "' is "
              + field.getType());
    }
    return field;
  }

  /** Grows the state arrays to hold {@code groups} groups. */
  abstract void ensureGroups(int groups);

  abstract void update(int[] groups, int n, BatchColumns batch);

  /**
   * {@link #update} of a global (key-less) aggregation: every row in group 0, {@code zeros} at least {@code n}
   * zeros. Accumulators with a faster loop for one group override it.
   */
  void updateGlobal(int[] zeros, int n, BatchColumns batch) {
    update(zeros, n, batch);
  }

  abstract void merge(int[] groups, int n, BatchColumns partial);

  /** Fields of the partial-state columns this accumulator writes and reads back. */
  abstract List<Field> partialFields();

  abstract List<FieldVector> partial(int groups, BufferAllocator allocator);

  abstract FieldVector result(int groups, BufferAllocator allocator);

  String stateName(String suffix) {
    return spec.name() + "$" + suffix;
  }


  static Field int64(String name) {
    return new Field(name, FieldType.nullable(new ArrowType.Int(64, true)), null);
  }

  static Field float64(String name) {
    return new Field(name, FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null);
  }

  /** An int64 column of {@code values[0..n)}, null where {@code valid} is false (all valid if {@code null}). */
  static FieldVector longs(Field field, long[] values, boolean[] valid, int n, BufferAllocator allocator) {
    BigIntVector v = new BigIntVector(field, allocator);
    fill(v, values, valid, n, 8);
    return v;
  }

  static FieldVector doubles(Field field, double[] values, boolean[] valid, int n, BufferAllocator allocator) {
    Float8Vector v = new Float8Vector(field, allocator);
    try {
      v.allocateNew(n);
      if (n > 0) {
        MemorySegment.copy(values, 0, Segments.of(v.getDataBuffer()), Segments.DOUBLE, 0, n);
      }
      validity(v, valid, n);
      return v;
    } catch (RuntimeException e) {
      v.close();
      throw e;
    }
  }

  static void fill(BaseFixedWidthVector v, long[] values, boolean[] valid, int n, int width) {
    try {
      v.allocateNew(n);
      KeyColumn.writeLongs(Segments.of(v.getDataBuffer()), values, n, width);
      validity(v, valid, n);
    } catch (RuntimeException e) {
      v.close();
      throw e;
    }
  }

  private static void validity(BaseFixedWidthVector v, boolean[] valid, int n) {
    MemorySegment bits = Segments.of(v.getValidityBuffer());
    if (valid == null) {
      Segments.setAll(bits, n);
    } else {
      for (int i = 0; i < n; i++) {
        if (valid[i]) {
          Segments.setBit(bits, i);
        }
      }
    }
    v.setValueCount(n);
  }

  /** The values of a numeric column view as doubles (nulls read as 0; callers skip them). */
  static double[] asDoubles(KeyColumn c) {
    int n = c.size;
    double[] out = new double[n];
    long[] l = c.longs;
    if (c.kind == KeyKind.FLOAT) {
      if (c.width == 8) {
        for (int i = 0; i < n; i++) {
          out[i] = Double.longBitsToDouble(l[i]);
        }
      } else {
        for (int i = 0; i < n; i++) {
          out[i] = Float.intBitsToFloat((int) l[i]);
        }
      }
    } else if (c.kind == KeyKind.UNSIGNED) {
      for (int i = 0; i < n; i++) {
        out[i] = l[i] >= 0 ? l[i] : (double) (l[i] >>> 1) * 2.0 + (l[i] & 1);
      }
    } else {
      for (int i = 0; i < n; i++) {
        out[i] = l[i];
      }
    }
    return out;
  }
}
