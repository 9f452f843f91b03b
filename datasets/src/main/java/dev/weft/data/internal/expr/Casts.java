package dev.weft.data.internal.expr;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import dev.weft.data.DataType;
import dev.weft.data.Expr;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeParseException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.util.TransferPair;

/**
 * {@link Expr.Cast}: numbers narrow and widen like Java casts, strings parse (a bad value is an error naming it and
 * its row), booleans are 0/1, dates and timestamps convert at UTC (a timestamp is its seconds as a number, a number
 * of seconds a timestamp, as in Spark), decimals round half up to the target scale and fail when they do not fit.
 */
final class Casts {
    private Casts() {
    }

    static Val cast(Val x, DataType target, BufferAllocator alloc, int n, Expr e) {
        return cast(x, target == DataType.DECIMAL ? (e instanceof Expr.Cast c ? ExprTypes.castType(c)
                : target.arrowType()) : target.arrowType(), alloc, n, e);
    }

    static Val cast(Val x, ArrowType target, BufferAllocator alloc, int n, Expr e) {
        DataType to = DataType.of(target);
        if (x.type() == null && !x.isNullScalar()) {
            throw new ExprTypes.TypeError(null, "cannot cast a column of type " + x.arrowType() + " in " + e);
        }
        if (x.isNullScalar()) {
            return Val.scalar(null, target);
        }
        if (x.isScalar()) {
            // One code path for constants and columns: cast a one-row column and read the value back.
            try (FieldVector one = x.toVector("scalar", 1, alloc); Val v = Val.of(one, false);
                 Val r = cast(v, target, alloc, 1, e)) {
                return Val.scalar(scalarAt0(r.vector()), target);
            }
        }
        if (x.arrowType().equals(target) || (x.type() == to && to != DataType.DECIMAL && !to.isTemporal())) {
            TransferPair tp = x.vector().getTransferPair(x.vector().getName(), x.vector().getAllocator());
            tp.splitAndTransfer(0, n);
            return Val.of((FieldVector) tp.getTo(), true);
        }
        boolean[] nulls = Nulls.of(x, n);
        if (x.type() == DataType.STRING) {
            return fromStrings((VarCharVector) x.vector(), target, alloc, n, e);
        }
        DataType from = x.type();
        return switch (to) {
            case STRING -> Val.of(toStrings(x, nulls, alloc, n), true);
            case BOOLEAN -> {
                requireNumeric(from, to, e);
                double[] d = x.doubles(n);
                boolean[] r = new boolean[n];
                for (int i = 0; i < n; i++) {
                    r[i] = d[i] != 0;
                }
                yield Val.of(ExprEvaluator.bits(alloc, r, nulls, n), true);
            }
            case INT32, INT64 -> {
                long[] l;
                if (from == DataType.TIMESTAMP) {
                    l = x.longs(n);
                    for (int i = 0; i < n; i++) {
                        l[i] = Math.floorDiv(l[i], 1_000_000L);
                    }
                } else if (from == DataType.DECIMAL) {
                    BigDecimal[] b = Decimals.big(x, n);
                    l = new long[n];
                    for (int i = 0; i < n; i++) {
                        l[i] = b[i] == null ? 0 : b[i].longValue();
                    }
                } else {
                    requireNumeric(from, to, e);
                    l = from.isFloating() ? toLongs(x.doubles(n)) : x.longs(n);
                }
                yield Val.of(intVector(to, l, nulls, alloc, n), true);
            }
            case FLOAT32, FLOAT64 -> {
                requireNumeric(from, to, e);
                yield Val.of(floatVector(to, x.doubles(n), nulls, alloc, n), true);
            }
            case DATE -> {
                if (from != DataType.TIMESTAMP && from != DataType.DATE) {
                    throw cannot(from, to, e);
                }
                long[] l = x.longs(n);
                if (from == DataType.TIMESTAMP) {
                    for (int i = 0; i < n; i++) {
                        l[i] = Math.floorDiv(l[i], Temporals.MICROS_PER_DAY);
                    }
                }
                yield Val.of(Temporals.vector(to, l, nulls, alloc, n), true);
            }
            case TIMESTAMP -> {
                long[] l = x.longs(n);
                long factor = switch (from) {
                    case DATE -> Temporals.MICROS_PER_DAY;
                    case TIMESTAMP -> 1;
                    case INT32, INT64 -> 1_000_000L;
                    default -> throw cannot(from, to, e);
                };
                for (int i = 0; i < n; i++) {
                    l[i] *= factor;
                }
                yield Val.of(Temporals.vector(to, l, nulls, alloc, n), true);
            }
            case DECIMAL -> Val.of(toDecimal(x, (ArrowType.Decimal) target, nulls, alloc, n, e), true);
        };
    }

    private static void requireNumeric(DataType from, DataType to, Expr e) {
        if (!from.isNumeric() && from != DataType.BOOLEAN) {
            throw cannot(from, to, e);
        }
    }

    private static IllegalArgumentException cannot(DataType from, DataType to, Expr e) {
        return new ExprTypes.TypeError(null, "cannot cast " + from + " to " + to + " in " + e);
    }

    private static FieldVector toDecimal(Val x, ArrowType.Decimal target, boolean[] nulls, BufferAllocator alloc, int n,
                                         Expr e) {
        DataType from = x.type();
        if (from.isIntegral() || from == DataType.BOOLEAN
                || from == DataType.DECIMAL && ((ArrowType.Decimal) x.arrowType()).getScale() <= target.getScale()) {
            long[] u = from == DataType.BOOLEAN ? null : Decimals.unscaled(x, target.getScale(), n);
            if (u != null) {
                return Decimals.fromUnscaled(target, u, nulls, alloc, n, e);
            }
        }
        BigDecimal[] b;
        if (from.isFloating()) {
            double[] d = x.doubles(n);
            b = new BigDecimal[n];
            for (int i = 0; i < n; i++) {
                if (nulls != null && nulls[i]) {
                    continue;
                }
                if (!Double.isFinite(d[i])) {
                    throw new WeftException(ErrorType.USER_ERROR, "cannot cast " + d[i] + " at row " + i
                            + " to a decimal in " + e);
                }
                b[i] = BigDecimal.valueOf(d[i]);
            }
        } else if (from == DataType.DECIMAL || from.isIntegral()) {
            b = Decimals.big(x, n);
        } else if (from == DataType.BOOLEAN) {
            long[] l = x.longs(n);
            b = new BigDecimal[n];
            for (int i = 0; i < n; i++) {
                b[i] = nulls != null && nulls[i] ? null : BigDecimal.valueOf(l[i]);
            }
        } else {
            throw cannot(from, DataType.DECIMAL, e);
        }
        return Decimals.fromBig(target, b, alloc, n, e);
    }

    private static FieldVector toStrings(Val x, boolean[] nulls, BufferAllocator alloc, int n) {
        VarCharVector out = new VarCharVector("expr", alloc);
        out.allocateNew((long) n * 8, n);
        DataType from = x.type();
        BigDecimal[] big = from == DataType.DECIMAL ? Decimals.big(x, n) : null;
        boolean floating = from.isFloating();
        double[] d = floating ? x.doubles(n) : null;
        long[] l = floating || big != null ? null : x.longs(n);
        for (int i = 0; i < n; i++) {
            if (nulls != null && nulls[i]) {
                out.setNull(i);
                continue;
            }
            String s = switch (from) {
                case BOOLEAN -> String.valueOf(l[i] != 0);
                case FLOAT32 -> Float.toString((float) d[i]);
                case FLOAT64 -> Double.toString(d[i]);
                case DECIMAL -> big[i].toPlainString();
                case DATE -> Temporals.formatDate(l[i]);
                case TIMESTAMP -> Temporals.formatTimestamp(l[i]);
                default -> Long.toString(l[i]);
            };
            out.setSafe(i, s.getBytes(StandardCharsets.UTF_8));
        }
        out.setValueCount(n);
        return out;
    }

    private static long[] toLongs(double[] d) {
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (long) d[i];
        }
        return out;
    }

    static FieldVector intVector(DataType t, long[] l, boolean[] nulls, BufferAllocator alloc, int n) {
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

    static FieldVector floatVector(DataType t, double[] d, boolean[] nulls, BufferAllocator alloc, int n) {
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

    private static Val fromStrings(VarCharVector v, ArrowType target, BufferAllocator alloc, int n, Expr e) {
        DataType to = DataType.of(target);
        if (to == DataType.STRING) {
            TransferPair tp = v.getTransferPair(v.getName(), v.getAllocator());
            tp.splitAndTransfer(0, n);
            return Val.of((FieldVector) tp.getTo(), true);
        }
        boolean[] nulls = new boolean[n];
        long[] l = new long[n];
        double[] d = new double[n];
        BigDecimal[] b = to == DataType.DECIMAL ? new BigDecimal[n] : null;
        for (int i = 0; i < n; i++) {
            if (v.isNull(i)) {
                nulls[i] = true;
                continue;
            }
            String s = new String(v.get(i), StandardCharsets.UTF_8);
            try {
                switch (to) {
                    case BOOLEAN -> {
                        String t = s.trim();
                        if (t.equalsIgnoreCase("true")) {
                            l[i] = 1;
                        } else if (!t.equalsIgnoreCase("false")) {
                            throw new NumberFormatException("not a boolean");
                        }
                    }
                    case INT32 -> l[i] = Integer.parseInt(s.trim());
                    case INT64 -> l[i] = Long.parseLong(s.trim());
                    case FLOAT32, FLOAT64 -> d[i] = Double.parseDouble(s.trim());
                    case DATE -> l[i] = Temporals.parseDate(s);
                    case TIMESTAMP -> l[i] = Temporals.parseTimestamp(s);
                    case DECIMAL -> b[i] = new BigDecimal(s.trim());
                    default -> throw new IllegalStateException("unreachable");
                }
            } catch (NumberFormatException | DateTimeParseException ex) {
                throw new WeftException(ErrorType.USER_ERROR, "cannot cast value '" + s + "' at row " + i + " to "
                        + to + " in " + e, ex);
            }
        }
        return switch (to) {
            case BOOLEAN -> {
                boolean[] r = new boolean[n];
                for (int i = 0; i < n; i++) {
                    r[i] = l[i] != 0;
                }
                yield Val.of(ExprEvaluator.bits(alloc, r, nulls, n), true);
            }
            case INT32, INT64 -> Val.of(intVector(to, l, nulls, alloc, n), true);
            case FLOAT32, FLOAT64 -> Val.of(floatVector(to, d, nulls, alloc, n), true);
            case DATE, TIMESTAMP -> Val.of(Temporals.vector(to, l, nulls, alloc, n), true);
            case DECIMAL -> Val.of(Decimals.fromBig((ArrowType.Decimal) target, b, alloc, n, e), true);
            default -> throw new IllegalStateException("unreachable");
        };
    }

    /** Row 0 of {@code v} in the evaluator's scalar form (dates as days, timestamps as microseconds). */
    static Object scalarAt0(FieldVector v) {
        if (v.isNull(0)) {
            return null;
        }
        return switch (v) {
            case VarCharVector s -> new String(s.get(0), StandardCharsets.UTF_8);
            case BitVector b -> b.get(0) != 0;
            case IntVector i -> i.get(0);
            case BigIntVector i -> i.get(0);
            case Float4Vector f -> f.get(0);
            case Float8Vector f -> f.get(0);
            case DecimalVector d -> d.getObject(0);
            default -> Temporals.read(v, 1)[0];
        };
    }

    /** A decimal value rounded half up to {@code scale}. */
    static BigDecimal rescale(BigDecimal v, int scale) {
        return v.setScale(scale, RoundingMode.HALF_UP);
    }
}
