package dev.weft.data.internal.kernels;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Builds new columns by picking rows out of one or more source columns, a column at a time with direct memory
 * copies (fixed-width values, bit-packed booleans, utf8/binary with 32-bit offsets); other types fall back to
 * Arrow's {@code copyFromSafe}. A row index of {@code -1} produces a null (outer joins). The caller owns the
 * returned vectors and roots; sources are only read.
 */
public final class ColumnGather {
  private ColumnGather() {}

  /** Rows {@code rows[from..from+count)} of {@code source}, as a new root allocated from {@code allocator}. */
  public static VectorSchemaRoot gather(
      VectorSchemaRoot source, int[] rows, int from, int count, BufferAllocator allocator) {
    List<FieldVector> out = new ArrayList<>(source.getFieldVectors().size());
    try {
      for (FieldVector v : source.getFieldVectors()) {
        out.add(gatherColumn(new FieldVector[] {v}, null, rows, from, count, v.getField(), allocator));
      }
    } catch (RuntimeException e) {
      out.forEach(FieldVector::close);
      throw e;
    }
    return new VectorSchemaRoot(source.getSchema().getFields(), out, count);
  }

  /** Concatenates roots of one schema into a new root (e.g. the build side of a join). */
  public static VectorSchemaRoot concat(Schema schema, List<VectorSchemaRoot> parts, BufferAllocator allocator) {
    int total = 0;
    for (VectorSchemaRoot p : parts) {
      total += p.getRowCount();
    }
    int[] src = new int[total];
    int[] rows = new int[total];
    int k = 0;
    for (int p = 0; p < parts.size(); p++) {
      int n = parts.get(p).getRowCount();
      for (int i = 0; i < n; i++, k++) {
        src[k] = p;
        rows[k] = i;
      }
    }
    return gatherMany(schema, parts, src, rows, total, allocator);
  }

  /** Row {@code rows[k]} of root {@code sources[srcIds[k]]} for each {@code k < count}. */
  public static VectorSchemaRoot gatherMany(
      Schema schema, List<VectorSchemaRoot> sources, int[] srcIds, int[] rows, int count, BufferAllocator allocator) {
    List<FieldVector> out = new ArrayList<>(schema.getFields().size());
    try {
      for (int c = 0; c < schema.getFields().size(); c++) {
        FieldVector[] columns = new FieldVector[sources.size()];
        for (int s = 0; s < columns.length; s++) {
          columns[s] = sources.get(s).getVector(c);
        }
        out.add(gatherColumn(columns, srcIds, rows, 0, count, schema.getFields().get(c), allocator));
      }
    } catch (RuntimeException e) {
      out.forEach(FieldVector::close);
      throw e;
    }
    return new VectorSchemaRoot(schema.getFields(), out, count);
  }

  /**
   * A new vector named and typed as {@code field} holding, for {@code k} in {@code [from, from+count)}, row
   * {@code rows[k]} of {@code sources[srcIds == null ? 0 : srcIds[k]]}, or null where {@code rows[k] == -1}.
   */
  static FieldVector gatherColumn(
      FieldVector[] sources, int[] srcIds, int[] rows, int from, int count, Field field, BufferAllocator allocator) {
    FieldVector target = field.createVector(allocator);
    try {
      switch (target) {
        case BitVector t -> gatherBits(sources, srcIds, rows, from, count, t);
        case BaseFixedWidthVector t -> gatherFixed(sources, srcIds, rows, from, count, t);
        case BaseVariableWidthVector t -> gatherVariable(sources, srcIds, rows, from, count, t);
        default -> gatherGeneric(sources, srcIds, rows, from, count, target);
      }
      target.setValueCount(count);
      return target;
    } catch (RuntimeException e) {
      target.close();
      throw e;
    }
  }

  private static MemorySegment[] validity(FieldVector[] sources) {
    MemorySegment[] out = new MemorySegment[sources.length];
    for (int s = 0; s < sources.length; s++) {
      // A segment per source only where it has nulls; null means "every row is valid".
      out[s] = sources[s].getNullCount() == 0 ? null : Segments.of(sources[s].getValidityBuffer());
    }
    return out;
  }

  /** Sets the target validity bit of each output row whose source row is valid. */
  private static void gatherValidity(
      MemorySegment[] srcValidity, int[] srcIds, int[] rows, int from, int count, MemorySegment target) {
    boolean allValid = true;
    for (MemorySegment v : srcValidity) {
      allValid &= v == null;
    }
    if (allValid) {
      boolean anyMissing = false;
      for (int k = 0; k < count; k++) {
        if (rows[from + k] < 0) {
          anyMissing = true;
          break;
        }
      }
      if (!anyMissing) {
        Segments.setAll(target, count);
        return;
      }
    }
    for (int k = 0; k < count; k++) {
      int row = rows[from + k];
      if (row < 0) {
        continue;
      }
      MemorySegment v = srcValidity[srcIds == null ? 0 : srcIds[from + k]];
      if (v == null || Segments.bit(v, row)) {
        Segments.setBit(target, k);
      }
    }
  }

  private static void gatherFixed(
      FieldVector[] sources, int[] srcIds, int[] rows, int from, int count, BaseFixedWidthVector target) {
    target.allocateNew(count);
    int width = target.getTypeWidth();
    MemorySegment[] data = new MemorySegment[sources.length];
    for (int s = 0; s < sources.length; s++) {
      data[s] = Segments.of(((BaseFixedWidthVector) sources[s]).getDataBuffer());
    }
    MemorySegment out = Segments.of(target.getDataBuffer());
    if (srcIds == null && width == 8) {
      MemorySegment in = data[0];
      for (int k = 0; k < count; k++) {
        int row = rows[from + k];
        if (row >= 0) {
          out.set(Segments.LONG, 8L * k, in.get(Segments.LONG, 8L * row));
        }
      }
    } else if (srcIds == null && width == 4) {
      MemorySegment in = data[0];
      for (int k = 0; k < count; k++) {
        int row = rows[from + k];
        if (row >= 0) {
          out.set(Segments.INT, 4L * k, in.get(Segments.INT, 4L * row));
        }
      }
    } else {
      for (int k = 0; k < count; k++) {
        int row = rows[from + k];
        if (row >= 0) {
          MemorySegment in = data[srcIds == null ? 0 : srcIds[from + k]];
          switch (width) {
            case 8 -> out.set(Segments.LONG, 8L * k, in.get(Segments.LONG, 8L * row));
            case 4 -> out.set(Segments.INT, 4L * k, in.get(Segments.INT, 4L * row));
            default -> Segments.copy(in, (long) width * row, out, (long) width * k, width);
          }
        }
      }
    }
    gatherValidity(validity(sources), srcIds, rows, from, count, Segments.of(target.getValidityBuffer()));
  }

  private static void gatherBits(
      FieldVector[] sources, int[] srcIds, int[] rows, int from, int count, BitVector target) {
    target.allocateNew(count);
    MemorySegment[] data = new MemorySegment[sources.length];
    for (int s = 0; s < sources.length; s++) {
      data[s] = Segments.of(((BitVector) sources[s]).getDataBuffer());
    }
    MemorySegment out = Segments.of(target.getDataBuffer());
    for (int k = 0; k < count; k++) {
      int row = rows[from + k];
      if (row >= 0 && Segments.bit(data[srcIds == null ? 0 : srcIds[from + k]], row)) {
        Segments.setBit(out, k);
      }
    }
    gatherValidity(validity(sources), srcIds, rows, from, count, Segments.of(target.getValidityBuffer()));
  }

  private static void gatherVariable(
      FieldVector[] sources, int[] srcIds, int[] rows, int from, int count, BaseVariableWidthVector target) {
    MemorySegment[] offsets = new MemorySegment[sources.length];
    MemorySegment[] data = new MemorySegment[sources.length];
    for (int s = 0; s < sources.length; s++) {
      BaseVariableWidthVector v = (BaseVariableWidthVector) sources[s];
      offsets[s] = Segments.of(v.getOffsetBuffer());
      data[s] = Segments.of(v.getDataBuffer());
    }
    if (srcIds == null) {
      gatherVariableOneSource(offsets[0], data[0], rows, from, count, target);
      gatherValidity(validity(sources), null, rows, from, count, Segments.of(target.getValidityBuffer()));
      target.setLastSet(count - 1);
      return;
    }
    // No sizing pass (it would read every row's offsets at random once more): start from the sources' average
    // bytes per row and grow by doubling in the rare case that the chosen rows are longer.
    long sourceBytes = 0;
    long sourceRows = 0;
    for (int s = 0; s < sources.length; s++) {
      int n = sources[s].getValueCount();
      sourceRows += n;
      sourceBytes += n == 0 ? 0 : offsets[s].get(Segments.INT, 4L * n);
    }
    long estimate = sourceRows == 0 ? 1 : Math.max(1, (long) Math.ceil((double) sourceBytes * count / sourceRows));
    target.allocateNew(Math.min(estimate, Integer.MAX_VALUE), count);
    MemorySegment outOffsets = Segments.of(target.getOffsetBuffer());
    MemorySegment outData = Segments.of(target.getDataBuffer());
    long capacity = outData.byteSize();
    int at = 0;
    outOffsets.set(Segments.INT, 0, 0);
    for (int k = 0; k < count; k++) {
      int row = rows[from + k];
      if (row >= 0) {
        int s = srcIds[from + k];
        MemorySegment o = offsets[s];
        int start = o.get(Segments.INT, 4L * row);
        int len = o.get(Segments.INT, 4L * row + 4) - start;
        if (len > 0) {
          long end = (long) at + len;
          if (end > capacity) {
            if (end > Integer.MAX_VALUE) {
              throw new IllegalArgumentException("column '" + target.getName() + "': gathering " + count
                  + " rows needs more than 2 GiB of bytes, more than a utf8/binary column holds; use smaller batches");
            }
            target.reallocDataBuffer(Math.min(Integer.MAX_VALUE, Math.max(end, 2 * capacity)));
            outData = Segments.of(target.getDataBuffer());
            capacity = outData.byteSize();
          }
          Segments.copy(data[s], start, outData, at, len);
          at += len;
        }
      }
      outOffsets.set(Segments.INT, 4L * k + 4, at);
    }
    gatherValidity(validity(sources), srcIds, rows, from, count, Segments.of(target.getValidityBuffer()));
    target.setLastSet(count - 1);
  }

  /** The common single-source case, with the source segments in locals so the JIT keeps them in registers. */
  private static void gatherVariableOneSource(
      MemorySegment offsets, MemorySegment data, int[] rows, int from, int count, BaseVariableWidthVector target) {
    long total = 0;
    for (int k = 0; k < count; k++) {
      int row = rows[from + k];
      if (row >= 0) {
        total += offsets.get(Segments.INT, 4L * row + 4) - offsets.get(Segments.INT, 4L * row);
      }
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "column '" + target.getName() + "': gathering " + count + " rows needs " + total
              + " bytes, more than a utf8/binary column holds (2 GiB); use smaller batches");
    }
    target.allocateNew(Math.max(1, total), count);
    MemorySegment outOffsets = Segments.of(target.getOffsetBuffer());
    MemorySegment outData = Segments.of(target.getDataBuffer());
    int at = 0;
    outOffsets.set(Segments.INT, 0, 0);
    for (int k = 0; k < count; k++) {
      int row = rows[from + k];
      if (row >= 0) {
        int start = offsets.get(Segments.INT, 4L * row);
        int len = offsets.get(Segments.INT, 4L * row + 4) - start;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
          outData.set(Segments.LONG, at + i, data.get(Segments.LONG, start + i));
        }
        for (; i < len; i++) {
          outData.set(Segments.BYTE, at + i, data.get(Segments.BYTE, start + i));
        }
        at += len;
      }
      outOffsets.set(Segments.INT, 4L * k + 4, at);
    }
  }

  private static void gatherGeneric(
      FieldVector[] sources, int[] srcIds, int[] rows, int from, int count, FieldVector target) {
    target.allocateNew();
    for (int k = 0; k < count; k++) {
      int row = rows[from + k];
      if (row < 0) {
        target.setNull(k);
      } else {
        target.copyFromSafe(row, k, sources[srcIds == null ? 0 : srcIds[from + k]]);
      }
    }
  }
}
