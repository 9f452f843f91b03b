package dev.weft.data.internal.expr;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import dev.weft.data.DataType;
import dev.weft.data.Expr;
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

/** {@link Expr.Cast}: numbers narrow and widen like Java casts, strings parse, booleans are 0/1. */
final class Casts {
    private Casts() {
    }

    static Val cast(Val x, DataType target, BufferAllocator alloc, int n, Expr e) {
        if (x.isScalar()) {
            return Val.scalar(castScalar(x.scalar(), target, e, 0), target);
        }
        if (x.type() == target) {
            if (x.vector() != null) {
                TransferPair tp = x.vector().getTransferPair(x.vector().getName(), x.vector().getAllocator());
                tp.splitAndTransfer(0, n);
                return Val.of((FieldVector) tp.getTo(), true);
            }
        }
        boolean[] nulls = Nulls.of(x, n);
        if (x.type() == DataType.STRING) {
            return fromStrings((VarCharVector) x.vector(), target, alloc, n, e);
        }
        return switch (target) {
            case STRING -> {
                VarCharVector out = new VarCharVector("expr", alloc);
                out.allocateNew((long) n * 8, n);
                boolean floating = x.type().isFloating();
                double[] d = floating ? x.doubles(n) : null;
                long[] l = floating ? null : x.longs(n);
                for (int i = 0; i < n; i++) {
                    if (nulls != null && nulls[i]) {
                        out.setNull(i);
                        continue;
                    }
                    String s = x.type() == DataType.BOOLEAN ? String.valueOf(l[i] != 0)
                            : floating ? (x.type() == DataType.FLOAT32 ? Float.toString((float) d[i]) : Double.toString(d[i]))
                            : Long.toString(l[i]);
                    out.setSafe(i, s.getBytes(StandardCharsets.US_ASCII));
                }
                out.setValueCount(n);
                yield Val.of(out, true);
            }
            case BOOLEAN -> {
                double[] d = x.doubles(n);
                BitVector out = ExprEvaluator.newBits(alloc, n);
                for (int i = 0; i < n; i++) {
                    if (nulls != null && nulls[i]) {
                        out.setNull(i);
                    } else {
                        out.set(i, d[i] != 0 ? 1 : 0);
                    }
                }
                out.setValueCount(n);
                yield Val.of(out, true);
            }
            case INT32, INT64 -> {
                long[] l = x.type().isFloating() ? toLongs(x.doubles(n)) : x.longs(n);
                yield Val.of(intVector(target, l, nulls, alloc, n), true);
            }
            case FLOAT32, FLOAT64 -> Val.of(floatVector(target, x.doubles(n), nulls, alloc, n), true);
        };
    }

    private static long[] toLongs(double[] d) {
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (long) d[i];
        }
        return out;
    }

    private static FieldVector intVector(DataType t, long[] l, boolean[] nulls, BufferAllocator alloc, int n) {
        if (t == DataType.INT32) {
            IntVector out = new IntVector("expr", alloc);
            out.allocateNew(n);
            for (int i = 0; i < n; i++) {
                out.getDataBuffer().setInt((long) i * 4, (int) l[i]);
            }
            Nulls.setValidity(out, n, nulls);
            return out;
        }
        BigIntVector out = new BigIntVector("expr", alloc);
        out.allocateNew(n);
        for (int i = 0; i < n; i++) {
            out.getDataBuffer().setLong((long) i * 8, l[i]);
        }
        Nulls.setValidity(out, n, nulls);
        return out;
    }

    private static FieldVector floatVector(DataType t, double[] d, boolean[] nulls, BufferAllocator alloc, int n) {
        if (t == DataType.FLOAT32) {
            Float4Vector out = new Float4Vector("expr", alloc);
            out.allocateNew(n);
            for (int i = 0; i < n; i++) {
                out.getDataBuffer().setFloat((long) i * 4, (float) d[i]);
            }
            Nulls.setValidity(out, n, nulls);
            return out;
        }
        Float8Vector out = new Float8Vector("expr", alloc);
        out.allocateNew(n);
        for (int i = 0; i < n; i++) {
            out.getDataBuffer().setDouble((long) i * 8, d[i]);
        }
        Nulls.setValidity(out, n, nulls);
        return out;
    }

    private static Val fromStrings(VarCharVector v, DataType target, BufferAllocator alloc, int n, Expr e) {
        boolean[] nulls = new boolean[n];
        long[] l = new long[n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            if (v.isNull(i)) {
                nulls[i] = true;
                continue;
            }
            String s = new String(v.get(i), StandardCharsets.UTF_8);
            Object parsed = castScalar(s, target, e, i);
            switch (parsed) {
                case Boolean b -> l[i] = b ? 1 : 0;
                case Integer x -> l[i] = x;
                case Long x -> l[i] = x;
                case Float x -> d[i] = x;
                case Double x -> d[i] = x;
                default -> throw new IllegalStateException("unreachable");
            }
        }
        return switch (target) {
            case STRING -> throw new IllegalStateException("unreachable");
            case BOOLEAN -> {
                BitVector out = ExprEvaluator.newBits(alloc, n);
                for (int i = 0; i < n; i++) {
                    if (nulls[i]) {
                        out.setNull(i);
                    } else {
                        out.set(i, (int) l[i]);
                    }
                }
                out.setValueCount(n);
                yield Val.of(out, true);
            }
            case INT32, INT64 -> Val.of(intVector(target, l, nulls, alloc, n), true);
            case FLOAT32, FLOAT64 -> Val.of(floatVector(target, d, nulls, alloc, n), true);
        };
    }

    static Object castScalar(Object v, DataType target, Expr e, int row) {
        if (v == null) {
            return null;
        }
        try {
            return switch (target) {
                case STRING -> v.toString();
                case BOOLEAN -> switch (v) {
                    case Boolean b -> b;
                    case Number num -> num.doubleValue() != 0;
                    case String s when s.trim().equalsIgnoreCase("true") -> true;
                    case String s when s.trim().equalsIgnoreCase("false") -> false;
                    default -> throw new NumberFormatException("not a boolean");
                };
                case INT32 -> v instanceof String s ? Integer.parseInt(s.trim()) : (int) asNumber(v).longValue();
                case INT64 -> v instanceof String s ? Long.parseLong(s.trim()) : asNumber(v).longValue();
                case FLOAT32 -> v instanceof String s ? Float.parseFloat(s.trim()) : asNumber(v).floatValue();
                case FLOAT64 -> v instanceof String s ? Double.parseDouble(s.trim()) : asNumber(v).doubleValue();
            };
        } catch (NumberFormatException ex) {
            throw new WeftException(ErrorType.USER_ERROR, "cannot cast value '" + v + "' at row " + row + " to " + target
                    + " in " + e, ex);
        }
    }

    private static Number asNumber(Object v) {
        return v instanceof Boolean b ? (b ? 1 : 0) : (Number) v;
    }
}
