package dev.weft.data.internal.expr;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Decimal columns as unscaled {@code long}s at one scale when every value fits (the usual case: up to 18 digits,
 * compared, added and multiplied as longs with overflow checks), else as {@code BigDecimal}s. Also SQL's rules for the
 * precision and scale of decimal arithmetic (Spark's, with its cap at 38 digits).
 */
public final class Decimals {
    static final int MAX_PRECISION = 38;
    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private Decimals() {
    }

    /** The decimal type of {@code t}: itself, or the decimal an integer widens to (int32 → (10, 0), int64 → (20, 0)). */
    public static ArrowType.Decimal of(ArrowType t) {
        return switch (t) {
            case ArrowType.Decimal d -> d;
            case ArrowType.Int i -> new ArrowType.Decimal(i.getBitWidth() <= 32 ? 10 : 20, 0, 128);
            default -> throw new IllegalArgumentException("not a decimal or integer type: " + t);
        };
    }

    /** The type of a decimal constant. */
    public static ArrowType.Decimal of(BigDecimal v) {
        BigDecimal x = normalize(v);
        return new ArrowType.Decimal(Math.max(1, Math.max(x.precision(), x.scale())), x.scale(), 128);
    }

    static BigDecimal normalize(BigDecimal v) {
        return v.scale() < 0 ? v.setScale(0) : v;
    }

    /** Spark's {@code adjustPrecisionScale}: past 38 digits keep the integer digits and at least 6 of scale. */
    static ArrowType.Decimal bounded(int precision, int scale) {
        if (precision <= MAX_PRECISION) {
            return new ArrowType.Decimal(precision, scale, 128);
        }
        int intDigits = precision - scale;
        int minScale = Math.min(scale, 6);
        int s = Math.max(MAX_PRECISION - intDigits, minScale);
        return new ArrowType.Decimal(MAX_PRECISION, s, 128);
    }

    static ArrowType.Decimal add(ArrowType.Decimal a, ArrowType.Decimal b) {
        int s = Math.max(a.getScale(), b.getScale());
        return bounded(Math.max(a.getPrecision() - a.getScale(), b.getPrecision() - b.getScale()) + s + 1, s);
    }

    static ArrowType.Decimal multiply(ArrowType.Decimal a, ArrowType.Decimal b) {
        return bounded(a.getPrecision() + b.getPrecision() + 1, a.getScale() + b.getScale());
    }

    static ArrowType.Decimal divide(ArrowType.Decimal a, ArrowType.Decimal b) {
        int s = Math.max(6, a.getScale() + b.getPrecision() + 1);
        return bounded(a.getPrecision() - a.getScale() + b.getScale() + s, s);
    }

    static ArrowType.Decimal modulo(ArrowType.Decimal a, ArrowType.Decimal b) {
        int s = Math.max(a.getScale(), b.getScale());
        return bounded(Math.min(a.getPrecision() - a.getScale(), b.getPrecision() - b.getScale()) + s, s);
    }

    /** The type that holds both (for conditionals and coalesce). */
    static ArrowType.Decimal widen(ArrowType.Decimal a, ArrowType.Decimal b) {
        int s = Math.max(a.getScale(), b.getScale());
        return bounded(Math.max(a.getPrecision() - a.getScale(), b.getPrecision() - b.getScale()) + s, s);
    }

    static long pow10(int n) {
        return POW10[n];
    }

    /**
     * The unscaled values at {@code scale} of a decimal or integer {@link Val} (scale at least the value's own), or
     * null when one does not fit a long.
     */
    static long[] unscaled(Val v, int scale, int n) {
        int own = v.arrowType() instanceof ArrowType.Decimal d ? d.getScale() : 0;
        if (scale - own >= POW10.length) {
            return null;
        }
        long factor = POW10[scale - own];
        long[] out = new long[n];
        if (v.isScalar()) {
            Object s = v.scalar();
            long x;
            try {
                x = s instanceof BigDecimal b ? b.setScale(scale, RoundingMode.UNNECESSARY).unscaledValue().longValueExact()
                        : Math.multiplyExact(((Number) s).longValue(), factor);
            } catch (ArithmeticException e) {
                return null;
            }
            java.util.Arrays.fill(out, x);
            return out;
        }
        FieldVector vec = v.vector();
        if (vec instanceof DecimalVector d) {
            ArrowBuf b = d.getDataBuffer();
            boolean nulls = d.getNullCount() > 0;
            for (int i = 0; i < n; i++) {
                long lo = b.getLong((long) i * 16);
                long hi = b.getLong((long) i * 16 + 8);
                if (hi != (lo >> 63)) {
                    if (nulls && d.isNull(i)) {
                        continue;
                    }
                    return null;
                }
                try {
                    out[i] = factor == 1 ? lo : Math.multiplyExact(lo, factor);
                } catch (ArithmeticException e) {
                    return null;
                }
            }
            return out;
        }
        long[] l = v.longs(n);
        try {
            for (int i = 0; i < n; i++) {
                out[i] = Math.multiplyExact(l[i], factor);
            }
        } catch (ArithmeticException e) {
            return null;
        }
        return out;
    }

    /**
     * The values of a decimal {@link Val} as doubles (0 where null) without BigDecimals, when every unscaled value has
     * at most 53 bits and the scale at most 22: then the unscaled value and the power of ten are exact doubles and
     * their quotient is the correctly rounded double, as {@code BigDecimal.doubleValue()} gives. Else null.
     */
    static double[] doubles(Val v, int n) {
        int scale = v.arrowType() instanceof ArrowType.Decimal d ? d.getScale() : 0;
        if (scale < 0 || scale >= POW10.length || (v.isScalar() && v.scalar() == null)) {
            return null;
        }
        long[] u = unscaled(v, scale, n);
        if (u == null) {
            return null;
        }
        double divisor = POW10[scale];
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            long x = u[i];
            if (x > EXACT_DOUBLE || x < -EXACT_DOUBLE) {
                return null;
            }
            out[i] = x / divisor;
        }
        if (!v.isScalar() && v.vector().getNullCount() > 0) {
            for (int i = 0; i < n; i++) {
                if (v.vector().isNull(i)) {
                    out[i] = 0;
                }
            }
        }
        return out;
    }

    /** The largest magnitude below which every long is exactly a double (2^53). */
    private static final long EXACT_DOUBLE = 1L << 53;

    /** The values of a decimal or integer {@link Val} as BigDecimals (null where null). */
    static BigDecimal[] big(Val v, int n) {
        BigDecimal[] out = new BigDecimal[n];
        if (v.isScalar()) {
            Object s = v.scalar();
            BigDecimal x = s == null ? null : s instanceof BigDecimal b ? b : BigDecimal.valueOf(((Number) s).longValue());
            java.util.Arrays.fill(out, x);
            return out;
        }
        FieldVector vec = v.vector();
        if (vec instanceof DecimalVector d) {
            for (int i = 0; i < n; i++) {
                out[i] = d.isNull(i) ? null : d.getObject(i);
            }
            return out;
        }
        long[] l = v.longs(n);
        for (int i = 0; i < n; i++) {
            out[i] = v.isNull(i) ? null : BigDecimal.valueOf(l[i]);
        }
        return out;
    }

    /** A decimal vector of {@code type} from unscaled longs at its scale. */
    static DecimalVector fromUnscaled(ArrowType.Decimal type, long[] unscaled, boolean[] nulls, BufferAllocator alloc,
                                      int n, Object where) {
        DecimalVector out = newVector(type, alloc, n);
        try {
            fillUnscaled(out, type, unscaled, nulls, n, where);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        Nulls.setValidity(out, n, nulls);
        return out;
    }

    private static void fillUnscaled(DecimalVector out, ArrowType.Decimal type, long[] unscaled, boolean[] nulls, int n,
                                     Object where) {
        ArrowBuf b = out.getDataBuffer();
        long limit = type.getPrecision() >= 19 ? Long.MAX_VALUE : POW10[type.getPrecision()];
        for (int i = 0; i < n; i++) {
            if (nulls != null && nulls[i]) {
                continue;
            }
            long x = unscaled[i];
            if (limit != Long.MAX_VALUE && (x >= limit || x <= -limit)) {
                throw overflow(BigDecimal.valueOf(x, type.getScale()), type, where);
            }
            b.setLong((long) i * 16, x);
            b.setLong((long) i * 16 + 8, x >> 63);
        }
    }

    /** A decimal vector of {@code type} from BigDecimals, rounded half up to its scale (null stays null). */
    static DecimalVector fromBig(ArrowType.Decimal type, BigDecimal[] values, BufferAllocator alloc, int n, Object where) {
        DecimalVector out = newVector(type, alloc, n);
        try {
            Nulls.setValidity(out, n, fillBig(out, type, values, n, where));
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    private static boolean[] fillBig(DecimalVector out, ArrowType.Decimal type, BigDecimal[] values, int n, Object where) {
        boolean[] nulls = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (values[i] == null) {
                nulls[i] = true;
                continue;
            }
            BigDecimal x = values[i].setScale(type.getScale(), RoundingMode.HALF_UP);
            if (x.precision() > type.getPrecision()) {
                throw overflow(values[i], type, where);
            }
            BigInteger u = x.unscaledValue();
            byte[] be = u.toByteArray();
            ArrowBuf b = out.getDataBuffer();
            long base = (long) i * 16;
            byte fill = (byte) (u.signum() < 0 ? -1 : 0);
            for (int k = 0; k < 16; k++) {
                int src = be.length - 1 - k;
                b.setByte(base + k, src >= 0 ? be[src] : fill);
            }
        }
        return nulls;
    }

    static DecimalVector newVector(ArrowType.Decimal type, BufferAllocator alloc, int n) {
        DecimalVector out = new DecimalVector("expr", alloc, type.getPrecision(), type.getScale());
        out.allocateNew(n);
        out.getDataBuffer().setZero(0, (long) n * 16);
        return out;
    }

    static RuntimeException overflow(BigDecimal value, ArrowType.Decimal type, Object where) {
        return new dev.weft.api.WeftException(dev.weft.api.ErrorType.USER_ERROR, "value " + value.toPlainString()
                + " does not fit DECIMAL(" + type.getPrecision() + ", " + type.getScale() + ") in " + where);
    }
}
