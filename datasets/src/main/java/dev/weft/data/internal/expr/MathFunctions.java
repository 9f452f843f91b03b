package dev.weft.data.internal.expr;

import dev.weft.data.DataType;
import dev.weft.data.ExprNodes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** {@code abs}, {@code round}, {@code pow}, {@code sqrt}, {@code floor}, {@code ceil} over whole columns. */
final class MathFunctions {
    private MathFunctions() {
    }

    static Val apply(ExprNodes.MathFunction f, Val x, Val arg, BufferAllocator alloc, int n) {
        ArrowType type = ExprTypes.mathType(f, x.isNullScalar() ? null : x.arrowType(),
                arg == null || arg.isNullScalar() ? null : arg.arrowType());
        if (x.isNullScalar() || (arg != null && arg.isNullScalar())) {
            return Val.scalar(null, type == null ? DataType.FLOAT64.arrowType() : type);
        }
        DataType out = DataType.of(type);
        boolean scalar = x.isScalar() && (arg == null || arg.isScalar());
        int m = scalar ? 1 : n;
        boolean[] nulls = arg == null ? Nulls.of(x, m) : Nulls.union(x, arg, m);
        if (x.type() == DataType.DECIMAL) {
            BigDecimal[] v = Decimals.big(x, m);
            if (out == DataType.DECIMAL) {
                int scale = ((ArrowType.Decimal) type).getScale();
                for (int i = 0; i < m; i++) {
                    if (v[i] != null) {
                        v[i] = switch (f.kind()) {
                            case ABS -> v[i].abs();
                            case ROUND -> v[i].setScale(scale, RoundingMode.HALF_UP);
                            case FLOOR -> v[i].setScale(0, RoundingMode.FLOOR);
                            case CEIL -> v[i].setScale(0, RoundingMode.CEILING);
                            default -> throw new IllegalStateException("unreachable: " + f.kind());
                        };
                    }
                }
                Val r = Val.of(Decimals.fromBig((ArrowType.Decimal) type, v, alloc, m, f), true);
                return scalar ? toScalar(r, type) : r;
            }
        }
        if (out.isIntegral() && x.type().isIntegral()) {
            long[] v = x.longs(m);
            if (f.kind() == ExprNodes.MathFunction.Kind.ABS) {
                for (int i = 0; i < m; i++) {
                    v[i] = Math.abs(v[i]);
                }
            } else if (f.kind() == ExprNodes.MathFunction.Kind.ROUND) {
                int scale = (Integer) ((dev.weft.data.Expr.Literal) f.argument()).value();
                if (scale < 0) {
                    long unit = Decimals.pow10(Math.min(18, -scale));
                    for (int i = 0; i < m; i++) {
                        v[i] = Math.floorDiv(v[i] + unit / 2, unit) * unit;
                    }
                }
            }
            Val r = Val.of(Casts.intVector(out, v, nulls, alloc, m), true);
            return scalar ? toScalar(r, type) : r;
        }
        double[] v = x.doubles(m);
        double[] y = arg == null ? null : arg.doubles(m);
        switch (f.kind()) {
            case ABS -> { for (int i = 0; i < m; i++) { v[i] = Math.abs(v[i]); } }
            case SQRT -> { for (int i = 0; i < m; i++) { v[i] = Math.sqrt(v[i]); } }
            case FLOOR -> { for (int i = 0; i < m; i++) { v[i] = Math.floor(v[i]); } }
            case CEIL -> { for (int i = 0; i < m; i++) { v[i] = Math.ceil(v[i]); } }
            case POW -> { for (int i = 0; i < m; i++) { v[i] = Math.pow(v[i], y[i]); } }
            case ROUND -> {
                int scale = (Integer) ((dev.weft.data.Expr.Literal) f.argument()).value();
                double unit = Math.pow(10, scale);
                for (int i = 0; i < m; i++) {
                    // Half away from zero, as SQL rounds.
                    double a = Math.abs(v[i]) * unit;
                    v[i] = Double.isFinite(a) ? Math.copySign(Math.floor(a + 0.5) / unit, v[i]) : v[i];
                }
            }
        }
        Val r;
        if (out.isIntegral()) {
            long[] l = new long[m];
            for (int i = 0; i < m; i++) {
                l[i] = (long) v[i];
            }
            r = Val.of(Casts.intVector(out, l, nulls, alloc, m), true);
        } else {
            r = Val.of(Casts.floatVector(out, v, nulls, alloc, m), true);
        }
        return scalar ? toScalar(r, type) : r;
    }

    private static Val toScalar(Val r, ArrowType type) {
        try (r) {
            return Val.scalar(Casts.scalarAt0(r.vector()), type);
        }
    }
}
