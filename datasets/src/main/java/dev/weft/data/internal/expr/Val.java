package dev.weft.data.internal.expr;

import dev.weft.data.DataType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.util.TransferPair;

/** An intermediate value during evaluation: a column (owned or borrowed from the batch) or a scalar. */
final class Val implements AutoCloseable {
    private final FieldVector vector;
    private final boolean owned;
    /** Dates are held as days ({@code Long}), timestamps as microseconds ({@code Long}), decimals as BigDecimal. */
    private final Object scalar;
    private final DataType type;
    private final ArrowType arrowType;

    private Val(FieldVector vector, boolean owned, Object scalar, DataType type, ArrowType arrowType) {
        this.vector = vector;
        this.owned = owned;
        this.scalar = scalar;
        this.type = type;
        this.arrowType = arrowType;
    }

    /** A column; one of a type expressions only pass through (lists, structs, binary) has no {@link #type()}. */
    static Val of(FieldVector vector, boolean owned) {
        ArrowType t = vector.getField().getType();
        DataType kind;
        try {
            kind = DataType.of(t);
        } catch (IllegalArgumentException passThrough) {
            kind = null;
        }
        return new Val(vector, owned, null, kind, t);
    }

    /** A scalar of {@code type} (for DECIMAL, of the value's own precision and scale). */
    static Val scalar(Object value, DataType type) {
        ArrowType t = type == null ? null : type == DataType.DECIMAL
                ? (value == null ? type.arrowType() : Decimals.of((BigDecimal) value)) : type.arrowType();
        return new Val(null, false, value, type, t);
    }

    /** A scalar of the exact type {@code type}. */
    static Val scalar(Object value, ArrowType type) {
        return new Val(null, false, value, type == null ? null : DataType.of(type), type);
    }

    /** A literal's value in the evaluator's form (dates as days, timestamps as microseconds). */
    static Val literal(Object value) {
        ArrowType t = ExprTypes.literalType(value);
        Object v = switch (value) {
            case java.time.LocalDate d -> d.toEpochDay();
            case java.time.Instant i -> Temporals.micros(i);
            case java.time.LocalDateTime d -> Temporals.encode(d, true);
            case BigDecimal d -> Decimals.normalize(d);
            case null, default -> value;
        };
        return new Val(null, false, v, t == null ? null : DataType.of(t), t);
    }

    /** The exact Arrow type (decimal precision and scale, timestamp unit). */
    ArrowType arrowType() {
        return arrowType;
    }

    boolean isScalar() {
        return vector == null;
    }

    boolean isNullScalar() {
        return vector == null && scalar == null;
    }

    Object scalar() {
        return scalar;
    }

    FieldVector vector() {
        return vector;
    }

    DataType type() {
        return type;
    }

    boolean hasNulls() {
        return vector == null ? scalar == null : vector.getNullCount() > 0;
    }

    boolean isNull(int i) {
        return vector == null ? scalar == null : vector.isNull(i);
    }

    double[] doubles(int n) {
        double[] out = new double[n];
        if (type == DataType.DECIMAL) {
            double[] exact = Decimals.doubles(this, n);
            if (exact != null) {
                return exact;
            }
            BigDecimal[] b = Decimals.big(this, n);
            for (int i = 0; i < n; i++) {
                out[i] = b[i] == null ? 0 : b[i].doubleValue();
            }
        } else if (vector == null) {
            java.util.Arrays.fill(out, scalarDouble());
        } else if (vector instanceof Float8Vector f) {
            dev.weft.data.internal.arrow.Segments.readDoubles(f.getDataBuffer(), out, n);
        } else if (vector instanceof Float4Vector f) {
            var buf = f.getDataBuffer();
            for (int i = 0; i < n; i++) {
                out[i] = buf.getFloat((long) i * 4);
            }
        } else if (vector instanceof BigIntVector b) {
            var buf = b.getDataBuffer();
            for (int i = 0; i < n; i++) {
                out[i] = buf.getLong((long) i * 8);
            }
        } else if (vector instanceof IntVector b) {
            var buf = b.getDataBuffer();
            for (int i = 0; i < n; i++) {
                out[i] = buf.getInt((long) i * 4);
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = ExprEvaluator.longAt(vector, i);
            }
        }
        return out;
    }

    long[] longs(int n) {
        if (vector != null && type.isTemporal()) {
            return Temporals.read(vector, n);
        }
        long[] out = new long[n];
        if (vector == null) {
            java.util.Arrays.fill(out, scalarLong());
        } else if (vector instanceof BigIntVector b) {
            dev.weft.data.internal.arrow.Segments.readLongs(b.getDataBuffer(), out, n);
        } else if (vector instanceof IntVector b) {
            var seg = dev.weft.data.internal.arrow.Segments.of(b.getDataBuffer());
            for (int i = 0; i < n; i++) {
                out[i] = seg.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, (long) i * 4);
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = ExprEvaluator.longAt(vector, i);
            }
        }
        return out;
    }

    /** 1 true, 0 false, -1 null. */
    int boolAt(int i) {
        if (vector == null) {
            return scalar == null ? -1 : ((Boolean) scalar ? 1 : 0);
        }
        BitVector b = (BitVector) vector;
        return b.isNull(i) ? -1 : b.get(i);
    }

    private double scalarDouble() {
        return scalar == null ? 0 : scalar instanceof Boolean b ? (b ? 1 : 0) : ((Number) scalar).doubleValue();
    }

    private long scalarLong() {
        return scalar == null ? 0 : scalar instanceof Boolean b ? (b ? 1 : 0) : ((Number) scalar).longValue();
    }

    /** A vector named {@code name} of {@code n} rows that the caller owns (scalars are broadcast). */
    FieldVector toVector(String name, int n, BufferAllocator alloc) {
        if (vector != null) {
            TransferPair tp = vector.getTransferPair(name, vector.getAllocator());
            if (owned) {
                tp.transfer();
            } else {
                tp.splitAndTransfer(0, n);
            }
            FieldVector out = (FieldVector) tp.getTo();
            out.setValueCount(n);
            return out;
        }
        DataType t = type == null ? DataType.INT32 : type;
        if (t == DataType.DECIMAL || t.isTemporal()) {
            return broadcast(name, n, alloc);
        }
        return switch (t) {
            case BOOLEAN -> {
                BitVector v = new BitVector(name, alloc);
                v.allocateNew(n);
                for (int i = 0; i < n; i++) {
                    if (scalar == null) {
                        v.setNull(i);
                    } else {
                        v.set(i, (Boolean) scalar ? 1 : 0);
                    }
                }
                v.setValueCount(n);
                yield v;
            }
            case INT32 -> {
                IntVector v = new IntVector(name, alloc);
                v.allocateNew(n);
                for (int i = 0; i < n; i++) {
                    if (scalar == null) {
                        v.setNull(i);
                    } else {
                        v.set(i, ((Number) scalar).intValue());
                    }
                }
                v.setValueCount(n);
                yield v;
            }
            case INT64 -> {
                BigIntVector v = new BigIntVector(name, alloc);
                v.allocateNew(n);
                for (int i = 0; i < n; i++) {
                    if (scalar == null) {
                        v.setNull(i);
                    } else {
                        v.set(i, ((Number) scalar).longValue());
                    }
                }
                v.setValueCount(n);
                yield v;
            }
            case FLOAT32 -> {
                Float4Vector v = new Float4Vector(name, alloc);
                v.allocateNew(n);
                for (int i = 0; i < n; i++) {
                    if (scalar == null) {
                        v.setNull(i);
                    } else {
                        v.set(i, ((Number) scalar).floatValue());
                    }
                }
                v.setValueCount(n);
                yield v;
            }
            case FLOAT64 -> {
                Float8Vector v = new Float8Vector(name, alloc);
                v.allocateNew(n);
                for (int i = 0; i < n; i++) {
                    if (scalar == null) {
                        v.setNull(i);
                    } else {
                        v.set(i, ((Number) scalar).doubleValue());
                    }
                }
                v.setValueCount(n);
                yield v;
            }
            case STRING -> {
                VarCharVector v = new VarCharVector(name, alloc);
                byte[] bytes = scalar == null ? null : ((String) scalar).getBytes(StandardCharsets.UTF_8);
                v.allocateNew((long) n * (bytes == null ? 0 : bytes.length) + 1, n);
                for (int i = 0; i < n; i++) {
                    if (bytes == null) {
                        v.setNull(i);
                    } else {
                        v.setSafe(i, bytes);
                    }
                }
                v.setValueCount(n);
                yield v;
            }
            default -> throw new IllegalStateException("unreachable: " + t);
        };
    }

    /** A date, timestamp or decimal scalar repeated {@code n} times. */
    private FieldVector broadcast(String name, int n, BufferAllocator alloc) {
        boolean[] nulls = null;
        if (scalar == null) {
            nulls = new boolean[n];
            java.util.Arrays.fill(nulls, true);
        }
        FieldVector out;
        if (type == DataType.DECIMAL) {
            ArrowType.Decimal d = (ArrowType.Decimal) arrowType;
            BigDecimal[] values = new BigDecimal[n];
            java.util.Arrays.fill(values, (BigDecimal) scalar);
            out = Decimals.fromBig(d, values, alloc, n, "a constant");
        } else {
            long[] values = new long[n];
            java.util.Arrays.fill(values, scalarLong());
            out = Temporals.vector(type, values, nulls, alloc, n);
        }
        TransferPair tp = out.getTransferPair(name, alloc);
        tp.transfer();
        out.close();
        return (FieldVector) tp.getTo();
    }

    @Override
    public void close() {
        if (owned && vector != null) {
            vector.close();
        }
    }
}
