package dev.weft.data.internal.expr;

import dev.weft.data.DataType;
import java.nio.charset.StandardCharsets;
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
    private final Object scalar;
    private final DataType type;

    private Val(FieldVector vector, boolean owned, Object scalar, DataType type) {
        this.vector = vector;
        this.owned = owned;
        this.scalar = scalar;
        this.type = type;
    }

    static Val of(FieldVector vector, boolean owned) {
        return new Val(vector, owned, null, DataType.of(vector.getField().getType()));
    }

    static Val scalar(Object value, DataType type) {
        return new Val(null, false, value, type);
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
        if (vector == null) {
            java.util.Arrays.fill(out, scalarDouble());
        } else if (vector instanceof Float8Vector f) {
            var buf = f.getDataBuffer();
            for (int i = 0; i < n; i++) {
                out[i] = buf.getDouble((long) i * 8);
            }
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
        long[] out = new long[n];
        if (vector == null) {
            java.util.Arrays.fill(out, scalarLong());
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

    /** 1 true, 0 false, -1 null. */
    int boolAt(int i) {
        if (vector == null) {
            return scalar == null ? -1 : ((Boolean) scalar ? 1 : 0);
        }
        BitVector b = (BitVector) vector;
        return b.isNull(i) ? -1 : b.get(i);
    }

    private double scalarDouble() {
        return scalar instanceof Boolean b ? (b ? 1 : 0) : ((Number) scalar).doubleValue();
    }

    private long scalarLong() {
        return scalar instanceof Boolean b ? (b ? 1 : 0) : ((Number) scalar).longValue();
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
        };
    }

    @Override
    public void close() {
        if (owned && vector != null) {
            vector.close();
        }
    }
}
