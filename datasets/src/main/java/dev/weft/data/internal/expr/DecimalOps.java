package dev.weft.data.internal.expr;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import dev.weft.data.CompareOp;
import dev.weft.data.DataType;
import dev.weft.data.Expr;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Comparisons and arithmetic on decimals (with integers widened to decimals). Columns whose values fit a long at
 * the common scale run as long loops with overflow checks; the rest, and division, run on BigDecimals.
 */
final class DecimalOps {
    private DecimalOps() {
    }

    private static int scale(Val v) {
        return v.arrowType() instanceof ArrowType.Decimal d ? d.getScale() : 0;
    }

    static Val compare(CompareOp op, Val a, Val b, BufferAllocator alloc, int n) {
        boolean[] nulls = Nulls.union(a, b, n);
        int s = Math.max(scale(a), scale(b));
        long[] x = Decimals.unscaled(a, s, n);
        long[] y = x == null ? null : Decimals.unscaled(b, s, n);
        boolean[] r = new boolean[n];
        if (x != null && y != null) {
            for (int i = 0; i < n; i++) {
                r[i] = ExprEvaluator.test(op, Long.compare(x[i], y[i]));
            }
        } else {
            BigDecimal[] p = Decimals.big(a, n);
            BigDecimal[] q = Decimals.big(b, n);
            for (int i = 0; i < n; i++) {
                r[i] = p[i] != null && q[i] != null && ExprEvaluator.test(op, p[i].compareTo(q[i]));
            }
        }
        return Val.of(ExprEvaluator.bits(alloc, r, nulls, n), true);
    }

    static Val arithmetic(Expr.Arithmetic e, ArrowType.Decimal type, Val a, Val b, BufferAllocator alloc, int n) {
        boolean[] nulls = Nulls.union(a, b, n);
        if (a.isScalar() && b.isScalar()) {
            BigDecimal r = apply(e, type, (BigDecimal) toBig(a.scalar()), (BigDecimal) toBig(b.scalar()), 0);
            return Val.scalar(r, type);
        }
        long[] fast = switch (e.op()) {
            case ADD, SUBTRACT -> addLongs(e, type, a, b, n, nulls);
            case MULTIPLY -> type.getScale() == scale(a) + scale(b) ? multiplyLongs(a, b, n, nulls) : null;
            default -> null;
        };
        if (fast != null) {
            return Val.of(Decimals.fromUnscaled(type, fast, nulls, alloc, n, e), true);
        }
        BigDecimal[] x = Decimals.big(a, n);
        BigDecimal[] y = Decimals.big(b, n);
        BigDecimal[] r = new BigDecimal[n];
        for (int i = 0; i < n; i++) {
            if (x[i] != null && y[i] != null) {
                r[i] = apply(e, type, x[i], y[i], i);
            }
        }
        return Val.of(Decimals.fromBig(type, r, alloc, n, e), true);
    }

    private static Object toBig(Object v) {
        return v instanceof BigDecimal d ? d : BigDecimal.valueOf(((Number) v).longValue());
    }

    private static long[] addLongs(Expr.Arithmetic e, ArrowType.Decimal type, Val a, Val b, int n, boolean[] nulls) {
        int s = type.getScale();
        if (s < scale(a) || s < scale(b)) {
            return null;
        }
        long[] x = Decimals.unscaled(a, s, n);
        long[] y = x == null ? null : Decimals.unscaled(b, s, n);
        if (y == null) {
            return null;
        }
        try {
            if (e.op() == dev.weft.data.ArithmeticOp.ADD) {
                for (int i = 0; i < n; i++) {
                    x[i] = Math.addExact(x[i], y[i]);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    x[i] = Math.subtractExact(x[i], y[i]);
                }
            }
        } catch (ArithmeticException overflow) {
            return null;
        }
        return x;
    }

    private static long[] multiplyLongs(Val a, Val b, int n, boolean[] nulls) {
        long[] x = Decimals.unscaled(a, scale(a), n);
        long[] y = x == null ? null : Decimals.unscaled(b, scale(b), n);
        if (y == null) {
            return null;
        }
        try {
            for (int i = 0; i < n; i++) {
                x[i] = Math.multiplyExact(x[i], y[i]);
            }
        } catch (ArithmeticException overflow) {
            return null;
        }
        return x;
    }

    private static BigDecimal apply(Expr.Arithmetic e, ArrowType.Decimal type, BigDecimal x, BigDecimal y, int row) {
        BigDecimal r = switch (e.op()) {
            case ADD -> x.add(y);
            case SUBTRACT -> x.subtract(y);
            case MULTIPLY -> x.multiply(y);
            case DIVIDE -> {
                if (y.signum() == 0) {
                    throw new WeftException(ErrorType.USER_ERROR, "division by zero in " + e + " at row " + row);
                }
                yield x.divide(y, type.getScale(), RoundingMode.HALF_UP);
            }
            case MODULO -> {
                if (y.signum() == 0) {
                    throw new WeftException(ErrorType.USER_ERROR, "modulo by zero in " + e + " at row " + row);
                }
                yield x.remainder(y);
            }
        };
        r = r.setScale(type.getScale(), RoundingMode.HALF_UP);
        if (r.precision() > type.getPrecision()) {
            throw Decimals.overflow(r, type, e);
        }
        return r;
    }
}
