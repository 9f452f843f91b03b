package dev.weft.data.internal.arrow;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * One column of a batch built from rows: values set one row at a time into heap arrays (no bounds-checked call
 * into Arrow per value) and moved into the vector in bulk by {@link #finish}. Types other than int32, int64,
 * float64 and utf8 are set into the vector directly. Not thread-safe.
 */
abstract class ColumnWriter {
    final FieldVector vector;
    final String operator;
    /** Validity bits of the heap-array writers, LSB first; grown with the values. */
    byte[] valid;

    private ColumnWriter(FieldVector vector, String operator, int rows) {
        this.vector = vector;
        this.operator = operator;
        this.valid = new byte[(rows + 7) >>> 3];
    }

    /** The new length of an array of {@code length} to hold index {@code i}. */
    static int grown(int length, int i) {
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(i + 1L, Math.max(16L, 2L * length)));
    }

    /** A writer for about {@code rows} values of {@code vector} (not allocated yet); it grows past them. */
    static ColumnWriter of(FieldVector vector, String operator, int rows) {
        return switch (vector) {
            case Float8Vector v -> new Doubles(v, operator, rows);
            case BigIntVector v -> new Longs(v, operator, rows);
            case IntVector v -> new Ints(v, operator, rows);
            case VarCharVector v -> new Strings(v, operator, rows);
            default -> new Direct(vector, operator, rows);
        };
    }

    /** Sets row {@code i} to {@code value} (not null); rows never set are null. */
    final void set(int i, Object value) {
        try {
            put(i, value);
        } catch (ClassCastException e) {
            throw new WeftException(ErrorType.USER_ERROR, "operator " + operator + ": column '" + vector.getName()
                    + "' is " + vector.getField().getType() + " but row " + i + " has a "
                    + value.getClass().getSimpleName() + " (" + value + ")", e);
        }
    }

    abstract void put(int i, Object value);

    /** Allocates the vector and fills it with rows {@code [0, rows)}. */
    abstract void finish(int rows);

    final void markValid(int i) {
        if ((i >>> 3) >= valid.length) {
            valid = Arrays.copyOf(valid, grown(valid.length, i >>> 3));
        }
        valid[i >>> 3] |= (byte) (1 << (i & 7));
    }

    /** Copies the validity of rows {@code [0, rows)}; the vector's buffer was zeroed by its allocation. */
    final void finishValidity(int rows) {
        int bytes = Math.min(valid.length, (rows + 7) >>> 3);
        MemorySegment.copy(valid, 0, Segments.of(vector.getValidityBuffer()), ValueLayout.JAVA_BYTE, 0, bytes);
    }

    /** A fixed-width column gathered in a heap array of its primitive type, copied into the vector once. */
    private abstract static class Fixed extends ColumnWriter {
        Fixed(FieldVector v, String operator, int rows) {
            super(v, operator, rows);
        }

        /** Copies rows {@code [0, rows)} of the heap array into the allocated data buffer. */
        abstract void writeValues(int rows);

        @Override
        final void finish(int rows) {
            vector.setInitialCapacity(Math.max(rows, 1));
            vector.allocateNew();
            writeValues(rows);
            finishValidity(rows);
            vector.setValueCount(rows);
        }
    }

    private static final class Doubles extends Fixed {
        private double[] values;

        Doubles(Float8Vector v, String operator, int rows) {
            super(v, operator, rows);
            values = new double[rows];
        }

        @Override
        void put(int i, Object value) {
            double v = ((Number) value).doubleValue();
            if (i >= values.length) {
                values = Arrays.copyOf(values, grown(values.length, i));
            }
            values[i] = v;
            markValid(i);
        }

        @Override
        void writeValues(int rows) {
            Segments.writeDoubles(values, vector.getDataBuffer(), Math.min(rows, values.length));
        }
    }

    private static final class Longs extends Fixed {
        private long[] values;

        Longs(BigIntVector v, String operator, int rows) {
            super(v, operator, rows);
            values = new long[rows];
        }

        @Override
        void put(int i, Object value) {
            long v = ((Number) value).longValue();
            if (i >= values.length) {
                values = Arrays.copyOf(values, grown(values.length, i));
            }
            values[i] = v;
            markValid(i);
        }

        @Override
        void writeValues(int rows) {
            Segments.writeLongs(values, vector.getDataBuffer(), Math.min(rows, values.length));
        }
    }

    private static final class Ints extends Fixed {
        private int[] values;

        Ints(IntVector v, String operator, int rows) {
            super(v, operator, rows);
            values = new int[rows];
        }

        @Override
        void put(int i, Object value) {
            int v = ((Number) value).intValue();
            if (i >= values.length) {
                values = Arrays.copyOf(values, grown(values.length, i));
            }
            values[i] = v;
            markValid(i);
        }

        @Override
        void writeValues(int rows) {
            Segments.writeInts(values, vector.getDataBuffer(), Math.min(rows, values.length));
        }
    }

    /** UTF-8 bytes gathered in one heap array with their end offsets, copied into the vector once. */
    private static final class Strings extends ColumnWriter {
        /** Bytes per row the data array starts with: short keys and words fit without growing it. */
        private static final int BYTES_PER_ROW = 16;

        private int[] offsets;
        private byte[] data;
        private int size;
        private int next;

        Strings(VarCharVector v, String operator, int rows) {
            super(v, operator, rows);
            offsets = new int[rows + 1];
            data = new byte[(int) Math.min(16L << 20, Math.max(256L, (long) rows * BYTES_PER_ROW))];
        }

        @Override
        void put(int i, Object value) {
            byte[] bytes = value.toString().getBytes(StandardCharsets.UTF_8);
            if (i + 1 >= offsets.length) {
                offsets = Arrays.copyOf(offsets, grown(offsets.length, i + 1));
            }
            fillTo(i);
            if ((long) size + bytes.length > Integer.MAX_VALUE - 8) {
                throw new WeftException(ErrorType.USER_ERROR, "operator " + operator + ": column '" + vector.getName()
                        + "' holds more than 2 GiB of strings by row " + i
                        + ", more than an Arrow batch can hold; return fewer or shorter rows per batch");
            }
            if (size + bytes.length > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8,
                        Math.max(size + bytes.length, 2L * data.length)));
            }
            System.arraycopy(bytes, 0, data, size, bytes.length);
            size += bytes.length;
            offsets[i + 1] = size;
            next = i + 1;
            markValid(i);
        }

        /** Null rows before {@code i} take empty ranges (writing offsets up to index {@code i}). */
        private void fillTo(int i) {
            if (i >= offsets.length) {
                offsets = Arrays.copyOf(offsets, grown(offsets.length, i));
            }
            for (int k = next; k < i; k++) {
                offsets[k + 1] = size;
            }
        }

        @Override
        void finish(int rows) {
            fillTo(rows);
            VarCharVector v = (VarCharVector) vector;
            v.allocateNew(Math.max(size, 1), Math.max(rows, 1));
            MemorySegment.copy(data, 0, Segments.of(v.getDataBuffer()), ValueLayout.JAVA_BYTE, 0, size);
            Segments.writeInts(offsets, v.getOffsetBuffer(), rows + 1);
            finishValidity(rows);
            v.setLastSet(rows - 1);
            v.setValueCount(rows);
        }
    }

    /** Any other type, set into the vector value by value. */
    private static final class Direct extends ColumnWriter {
        private boolean allocated;

        Direct(FieldVector v, String operator, int rows) {
            super(v, operator, 0);
            v.setInitialCapacity(Math.max(rows, 1));
        }

        @Override
        void put(int i, Object value) {
            allocate();
            switch (vector) {
                case BitVector b -> b.setSafe(i, (Boolean) value ? 1 : 0);
                case Float4Vector x -> x.setSafe(i, ((Number) value).floatValue());
                case VarBinaryVector x -> x.setSafe(i, (byte[]) value);
                default -> throw new WeftException(ErrorType.USER_ERROR, "operator " + operator
                        + ": cannot store into column '" + vector.getName() + "' of type " + vector.getField().getType());
            }
        }

        private void allocate() {
            if (!allocated) {
                vector.allocateNew();
                allocated = true;
            }
        }

        @Override
        void finish(int rows) {
            allocate();
            // Grows the vector when the last rows were never set; they stay null.
            vector.setValueCount(rows);
        }
    }
}
