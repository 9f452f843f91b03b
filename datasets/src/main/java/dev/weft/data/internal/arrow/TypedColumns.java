package dev.weft.data.internal.arrow;

import java.math.BigDecimal;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Whole columns as Java arrays and back, for {@code Batch}: reads convert any integer or floating-point column to
 * the array asked for, and writes allocate a vector sized for the array, fill it and set its count, so the caller
 * never calls {@code allocateNew}/{@code setValueCount}. Stateless.
 */
public final class TypedColumns {
    private TypedColumns() {
    }

    /** Row {@code i}'s nulls, or null when the column has none. */
    public static boolean[] nulls(FieldVector v, int n) {
        if (v.getNullCount() == 0) {
            return null;
        }
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = v.isNull(i);
        }
        return out;
    }

    public static double[] doubles(FieldVector v, int n) {
        double[] out = new double[n];
        switch (v) {
            case Float8Vector f -> Segments.readDoubles(f.getDataBuffer(), out, n);
            case Float4Vector f -> {
                for (int i = 0; i < n; i++) {
                    out[i] = f.getDataBuffer().getFloat((long) i * 4);
                }
            }
            case BaseIntVector b -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getValueAsLong(i);
                }
            }
            case DecimalVector d -> {
                for (int i = 0; i < n; i++) {
                    out[i] = d.isNull(i) ? 0 : d.getObject(i).doubleValue();
                }
            }
            default -> throw notA(v, "number");
        }
        return out;
    }

    public static long[] longs(FieldVector v, int n) {
        long[] out = new long[n];
        switch (v) {
            case BigIntVector b -> Segments.readLongs(b.getDataBuffer(), out, n);
            case BaseIntVector b -> {
                for (int i = 0; i < n; i++) {
                    out[i] = v.isNull(i) ? 0 : b.getValueAsLong(i);
                }
            }
            default -> throw notA(v, "integer");
        }
        return out;
    }

    public static boolean[] booleans(FieldVector v, int n) {
        if (!(v instanceof BitVector b)) {
            throw notA(v, "boolean");
        }
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = !b.isNull(i) && b.get(i) != 0;
        }
        return out;
    }

    /** Values as a row would hold them (strings, dates, instants, decimals, ...); null where null. */
    public static <T> T[] objects(FieldVector v, int n, T[] out, Class<T> type, String what) {
        for (int i = 0; i < n; i++) {
            Object o = RowBatches.value(v, i);
            if (o != null && !type.isInstance(o)) {
                throw notA(v, what);
            }
            out[i] = type.cast(o);
        }
        return out;
    }

    private static IllegalArgumentException notA(FieldVector v, String what) {
        return new IllegalArgumentException("column '" + v.getName() + "' is " + v.getField().getType() + ", not a "
                + what + " column");
    }

    // ---- writing ---------------------------------------------------------------------------------------

    private static void validity(FieldVector v, int n, boolean[] nulls) {
        var validity = v.getValidityBuffer();
        validity.setOne(0, (n + 7) / 8);
        if (nulls != null) {
            for (int i = 0; i < n; i++) {
                if (nulls[i]) {
                    org.apache.arrow.vector.BitVectorHelper.unsetBit(validity, i);
                }
            }
        }
        v.setValueCount(n);
    }

    public static FieldVector ofDoubles(String name, double[] values, boolean[] nulls, BufferAllocator allocator) {
        Float8Vector v = new Float8Vector(name, allocator);
        v.allocateNew(values.length);
        Segments.writeDoubles(values, v.getDataBuffer(), values.length);
        validity(v, values.length, nulls);
        return v;
    }

    public static FieldVector ofLongs(String name, long[] values, boolean[] nulls, BufferAllocator allocator) {
        BigIntVector v = new BigIntVector(name, allocator);
        v.allocateNew(values.length);
        Segments.writeLongs(values, v.getDataBuffer(), values.length);
        validity(v, values.length, nulls);
        return v;
    }

    public static FieldVector ofInts(String name, int[] values, boolean[] nulls, BufferAllocator allocator) {
        IntVector v = new IntVector(name, allocator);
        v.allocateNew(values.length);
        Segments.writeInts(values, v.getDataBuffer(), values.length);
        validity(v, values.length, nulls);
        return v;
    }

    public static FieldVector ofBooleans(String name, boolean[] values, boolean[] nulls, BufferAllocator allocator) {
        BitVector v = new BitVector(name, allocator);
        v.allocateNew(values.length);
        Segments.writeBits(Segments.pack(values, values.length), v.getDataBuffer());
        validity(v, values.length, nulls);
        return v;
    }

    /** Strings, dates, instants or decimals (null entries are null rows), through the row writers. */
    public static FieldVector ofObjects(String name, Object[] values, BufferAllocator allocator, String operator) {
        ArrowType type = null;
        for (Object o : values) {
            if (o != null) {
                type = RowBatches.typeOf(o, name, operator);
                break;
            }
        }
        if (type instanceof ArrowType.Decimal) {
            int scale = 0;
            for (Object o : values) {
                if (o instanceof BigDecimal d) {
                    scale = Math.max(scale, d.scale());
                }
            }
            type = new ArrowType.Decimal(38, scale, 128);
        }
        try (var root = RowBatches.create(new String[] {name}, new ArrowType[] {type}, allocator, null)) {
            FieldVector v = root.getVector(0);
            ColumnWriter w = ColumnWriter.of(v, operator, values.length);
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null) {
                    w.set(i, values[i]);
                }
            }
            w.finish(values.length);
            var tp = v.getTransferPair(allocator);
            tp.transfer();
            return (FieldVector) tp.getTo();
        }
    }
}
