package dev.weft.data.internal.arrow;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * One column of a batch built from rows: values set one row at a time straight into the vector's buffers through
 * {@link MemorySegment}s (no bounds-checked call into Arrow per value, and no heap array per batch: a batch of
 * 10^5 rows would make each such array a humongous object for G1, whose collections then dominate a row
 * function's time). Buffers grow by doubling. Types other than int32, int64, float64 and utf8 are set through
 * Arrow's setters. Not thread-safe.
 */
abstract class ColumnWriter {
    final FieldVector vector;
    final String operator;
    /**
     * Validity bits of the writers that keep their own buffers, LSB first, copied into the vector at the end: a
     * heap array (32 KiB for 2^18 rows) is cheaper to update per row than the vector's buffer.
     */
    byte[] valid;

    private ColumnWriter(FieldVector vector, String operator, int rows) {
        this.vector = vector;
        this.operator = operator;
        this.valid = new byte[(Math.max(rows, 1) + 7) >>> 3];
    }

    /** A writer for about {@code rows} values of {@code vector} (allocated here); it grows past them. */
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

    /** Completes the vector with rows {@code [0, rows)}; rows never set are null. */
    abstract void finish(int rows);

    final void markValid(int i) {
        if ((i >>> 3) >= valid.length) {
            valid = Arrays.copyOf(valid, Math.max((i >>> 3) + 1, 2 * valid.length));
        }
        valid[i >>> 3] |= (byte) (1 << (i & 7));
    }

    /** Copies the validity of rows {@code [0, rows)} into the vector, whose buffer holds them and is zeroed. */
    final void finishValidity(int rows) {
        int bytes = Math.min(valid.length, (rows + 7) >>> 3);
        MemorySegment.copy(valid, 0, Segments.of(vector.getValidityBuffer()), ValueLayout.JAVA_BYTE, 0, bytes);
    }

    /** A fixed-width column written into its data buffer. */
    private abstract static class Fixed extends ColumnWriter {
        private final int shift;
        MemorySegment data;
        /** Rows the buffers hold now. */
        private int capacity;

        Fixed(BaseFixedWidthVector v, String operator, int rows, int shift) {
            super(v, operator, rows);
            this.shift = shift;
            v.setInitialCapacity(Math.max(rows, 1));
            v.allocateNew();
            refresh();
        }

        private void refresh() {
            BaseFixedWidthVector v = (BaseFixedWidthVector) vector;
            capacity = v.getValueCapacity();
            data = Segments.of(v.getDataBuffer());
        }

        /** The byte offset of row {@code i}, after growing the buffers to hold it (new rows are null). */
        final long slot(int i) {
            while (i >= capacity) {
                vector.reAlloc();
                refresh();
            }
            return (long) i << shift;
        }

        @Override
        final void finish(int rows) {
            vector.setValueCount(rows);
            finishValidity(rows);
        }
    }

    private static final class Doubles extends Fixed {
        Doubles(Float8Vector v, String operator, int rows) {
            super(v, operator, rows, 3);
        }

        @Override
        void put(int i, Object value) {
            double v = ((Number) value).doubleValue();
            long at = slot(i); // before reading data: slot may grow the buffers
            data.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, at, v);
            markValid(i);
        }
    }

    private static final class Longs extends Fixed {
        Longs(BigIntVector v, String operator, int rows) {
            super(v, operator, rows, 3);
        }

        @Override
        void put(int i, Object value) {
            long v = ((Number) value).longValue();
            long at = slot(i); // before reading data: slot may grow the buffers
            data.set(ValueLayout.JAVA_LONG_UNALIGNED, at, v);
            markValid(i);
        }
    }

    private static final class Ints extends Fixed {
        Ints(IntVector v, String operator, int rows) {
            super(v, operator, rows, 2);
        }

        @Override
        void put(int i, Object value) {
            int v = ((Number) value).intValue();
            long at = slot(i); // before reading data: slot may grow the buffers
            data.set(ValueLayout.JAVA_INT_UNALIGNED, at, v);
            markValid(i);
        }
    }

    /**
     * UTF-8 bytes appended to the data buffer, with end offsets written as rows come. Short values are gathered in a
     * small heap stage and copied into the buffer a stage at a time: a {@code MemorySegment.copy} per value costs
     * more in checks than the copy of a short string.
     */
    private static final class Strings extends ColumnWriter {
        /** Bytes per row the data buffer starts with: short keys and words fit without growing it. */
        private static final int BYTES_PER_ROW = 16;
        private static final int STAGE = 32 << 10;

        private MemorySegment offsets;
        private MemorySegment data;
        /** Rows the offset and validity buffers hold now. */
        private int capacity;
        /** Bytes of all values so far; the last {@link #staged} of them are still in {@link #stage}. */
        private long size;
        private final byte[] stage;
        private int staged;
        /** The first row whose start offset has not been written yet (rows before it are written or null). */
        private int next;

        Strings(VarCharVector v, String operator, int rows) {
            super(v, operator, rows);
            int r = Math.max(rows, 1);
            long bytes = Math.min(16L << 20, Math.max(256L, (long) r * BYTES_PER_ROW));
            v.allocateNew(bytes, r);
            stage = new byte[(int) Math.min(STAGE, bytes)];
            refresh();
        }

        private void refresh() {
            VarCharVector v = (VarCharVector) vector;
            capacity = v.getValueCapacity();
            offsets = Segments.of(v.getOffsetBuffer());
            data = Segments.of(v.getDataBuffer());
        }

        @Override
        void put(int i, Object value) {
            byte[] bytes = value.toString().getBytes(StandardCharsets.UTF_8);
            fillTo(i);
            long end = size + bytes.length;
            if (end > Integer.MAX_VALUE) {
                throw new WeftException(ErrorType.USER_ERROR, "operator " + operator + ": column '"
                        + vector.getName() + "' holds more than 2 GiB of strings by row " + i
                        + ", more than an Arrow batch can hold; return fewer or shorter rows per batch");
            }
            if (staged + bytes.length > stage.length) {
                flush();
            }
            if (bytes.length > stage.length) {
                ensureData(end);
                MemorySegment.copy(bytes, 0, data, ValueLayout.JAVA_BYTE, size, bytes.length);
            } else {
                System.arraycopy(bytes, 0, stage, staged, bytes.length);
                staged += bytes.length;
            }
            size = end;
            offsets.set(ValueLayout.JAVA_INT_UNALIGNED, ((long) i + 1) << 2, (int) end);
            next = i + 1;
            markValid(i);
        }

        /** Copies the staged bytes to their place in the data buffer. */
        private void flush() {
            if (staged > 0) {
                ensureData(size);
                MemorySegment.copy(stage, 0, data, ValueLayout.JAVA_BYTE, size - staged, staged);
                staged = 0;
            }
        }

        /** Grows the data buffer (by doubling) to hold {@code bytes}. */
        private void ensureData(long bytes) {
            if (bytes > data.byteSize()) {
                ((VarCharVector) vector).reallocDataBuffer(Math.max(bytes, 2 * data.byteSize()));
                refresh();
            }
        }

        /**
         * Grows the offset and validity buffers to hold row {@code i} and gives the null rows before it empty
         * ranges (their end offsets are the current size).
         */
        private void fillTo(int i) {
            while (i >= capacity) {
                ((VarCharVector) vector).reallocValidityAndOffsetBuffers();
                refresh();
            }
            for (int k = next; k < i; k++) {
                offsets.set(ValueLayout.JAVA_INT_UNALIGNED, ((long) k + 1) << 2, (int) size);
            }
            next = Math.max(next, i);
        }

        @Override
        void finish(int rows) {
            flush();
            if (rows > 0) {
                fillTo(rows - 1);
                if (next < rows) {
                    offsets.set(ValueLayout.JAVA_INT_UNALIGNED, (long) rows << 2, (int) size);
                }
            }
            VarCharVector v = (VarCharVector) vector;
            v.setLastSet(rows - 1);
            v.setValueCount(rows);
            finishValidity(rows);
        }
    }

    /** Any other type, set into the vector value by value. */
    private static final class Direct extends ColumnWriter {
        Direct(FieldVector v, String operator, int rows) {
            super(v, operator, 0);
            v.setInitialCapacity(Math.max(rows, 1));
            v.allocateNew();
        }

        @Override
        void put(int i, Object value) {
            switch (vector) {
                case BitVector b -> b.setSafe(i, (Boolean) value ? 1 : 0);
                case Float4Vector x -> x.setSafe(i, ((Number) value).floatValue());
                case VarBinaryVector x -> x.setSafe(i, (byte[]) value);
                case org.apache.arrow.vector.complex.ListVector x -> NestedValues.set(x, i, value);
                case org.apache.arrow.vector.complex.StructVector x -> NestedValues.set(x, i, value);
                case org.apache.arrow.vector.DateDayVector x -> x.setSafe(i, Math.toIntExact(date(value).toEpochDay()));
                case org.apache.arrow.vector.DateMilliVector x -> x.setSafe(i, date(value).toEpochDay() * 86_400_000L);
                case org.apache.arrow.vector.TimeStampVector x -> x.setSafe(i, timestamp(x, value));
                case org.apache.arrow.vector.DecimalVector x -> {
                    java.math.BigDecimal d = value instanceof java.math.BigDecimal b ? b
                            : value instanceof Double || value instanceof Float
                            ? java.math.BigDecimal.valueOf(((Number) value).doubleValue())
                            : java.math.BigDecimal.valueOf(((Number) value).longValue());
                    java.math.BigDecimal scaled = d.setScale(x.getScale(), java.math.RoundingMode.HALF_UP);
                    if (scaled.precision() > x.getPrecision()) {
                        throw new WeftException(ErrorType.USER_ERROR, "operator " + operator + ": value " + d
                                + " at row " + i + " does not fit column '" + vector.getName() + "' of type "
                                + vector.getField().getType());
                    }
                    x.setSafe(i, scaled);
                }
                default -> throw new WeftException(ErrorType.USER_ERROR, "operator " + operator
                        + ": cannot store into column '" + vector.getName() + "' of type " + vector.getField().getType());
            }
        }

        private static java.time.LocalDate date(Object value) {
            return switch (value) {
                case java.time.LocalDate d -> d;
                case java.time.LocalDateTime t -> t.toLocalDate();
                case java.time.Instant t -> java.time.LocalDate.ofInstant(t, java.time.ZoneOffset.UTC);
                default -> throw new ClassCastException(value.getClass().getName());
            };
        }

        /** {@code value} in the unit of {@code x}'s type; a zone-less LocalDateTime is UTC wall-clock time. */
        private static long timestamp(org.apache.arrow.vector.TimeStampVector x, Object value) {
            java.time.Instant t = switch (value) {
                case java.time.Instant v -> v;
                case java.time.LocalDateTime v -> v.toInstant(java.time.ZoneOffset.UTC);
                case java.time.OffsetDateTime v -> v.toInstant();
                case java.time.ZonedDateTime v -> v.toInstant();
                case java.time.LocalDate v -> v.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
                default -> throw new ClassCastException(value.getClass().getName());
            };
            return switch (((org.apache.arrow.vector.types.pojo.ArrowType.Timestamp) x.getField().getType()).getUnit()) {
                case SECOND -> t.getEpochSecond();
                case MILLISECOND -> t.toEpochMilli();
                case MICROSECOND -> Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
                case NANOSECOND -> Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
            };
        }

        @Override
        void finish(int rows) {
            // Grows the vector when the last rows were never set; they stay null.
            vector.setValueCount(rows);
        }
    }
}
