package dev.weft.data.internal.expr;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import dev.weft.data.ArithmeticOp;
import dev.weft.data.CompareOp;
import dev.weft.data.DataType;
import dev.weft.data.Expr;
import dev.weft.data.ExprNodes;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.ByteFunctionHelpers;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Evaluates an {@link Expr} over a batch column-at-a-time: each node reads whole columns into primitive arrays
 * (straight from the Arrow buffers, no boxing) and writes a whole result vector. Stateless and thread-safe.
 */
public final class ExprEvaluator {
    private ExprEvaluator() {
    }

    /**
     * A new vector named {@code name} with {@code e}'s value for every row of {@code batch}, allocated from
     * {@code allocator} (a bare column reference shares the input's buffers). The caller closes it.
     */
    public static FieldVector evaluate(Expr e, VectorSchemaRoot batch, BufferAllocator allocator, String name) {
        int n = batch.getRowCount();
        Val v = eval(e, batch, allocator, n);
        try {
            return v.toVector(name, n, allocator);
        } finally {
            v.close();
        }
    }

    /** Evaluates a predicate to a boolean vector; the caller closes it. Fails when {@code e} is not boolean. */
    public static BitVector evaluatePredicate(Expr e, VectorSchemaRoot batch, BufferAllocator allocator) {
        FieldVector v = evaluate(e, batch, allocator, "predicate");
        if (!(v instanceof BitVector b)) {
            String type = v.getField().getType().toString();
            v.close();
            throw new IllegalArgumentException("filter predicate " + e + " is of type " + type + ", not boolean");
        }
        return b;
    }

    static Val eval(Expr e, VectorSchemaRoot batch, BufferAllocator alloc, int n) {
        return switch (e) {
            case Expr.Column c -> {
                FieldVector v = batch.getVector(c.name());
                if (v == null) {
                    throw new IllegalArgumentException("expression " + e + " reads column '" + c.name()
                            + "' which the batch does not have; columns: "
                            + batch.getSchema().getFields().stream().map(f -> f.getName()).toList());
                }
                yield Val.of(v, false);
            }
            case Expr.Literal l -> Val.literal(l.value());
            case Expr.Compare c -> withTwo(c.left(), c.right(), batch, alloc, n, (a, b) -> compare(c, a, b, alloc, n));
            case Expr.Arithmetic a -> withTwo(a.left(), a.right(), batch, alloc, n, (x, y) -> arithmetic(a, x, y, alloc, n));
            case Expr.And a -> withTwo(a.left(), a.right(), batch, alloc, n, (x, y) -> BooleanLogic.logic(true, x, y, alloc, n, e));
            case Expr.Or o -> withTwo(o.left(), o.right(), batch, alloc, n, (x, y) -> BooleanLogic.logic(false, x, y, alloc, n, e));
            case Expr.Not not -> withOne(not.operand(), batch, alloc, n, x -> BooleanLogic.negate(x, alloc, n, e));
            case Expr.IsNull isNull -> withOne(isNull.operand(), batch, alloc, n, x -> nullCheck(x, alloc, n));
            case Expr.Cast cast -> withOne(cast.operand(), batch, alloc, n, x -> Casts.cast(x, cast.type(), alloc, n, e));
            case Expr.StringFunction f -> withOne(f.operand(), batch, alloc, n, x -> StringFunctions.apply(f, x, alloc, n));
            case ExprNodes.DatePart p -> withOne(p.operand(), batch, alloc, n, x -> DateFunctions.part(p, x, alloc, n));
            case ExprNodes.DateTrunc t -> withOne(t.operand(), batch, alloc, n, x -> DateFunctions.trunc(t, x, alloc, n));
            case ExprNodes.DateDiff d -> withTwo(d.end(), d.start(), batch, alloc, n, (x, y) -> DateFunctions.diff(d, x, y, alloc, n));
            case ExprNodes.DateAdd d -> withTwo(d.operand(), d.days(), batch, alloc, n, (x, y) -> DateFunctions.addDays(d, x, y, alloc, n));
            case ExprNodes.AddInterval a -> withOne(a.operand(), batch, alloc, n, x -> DateFunctions.addInterval(a, x, alloc, n));
            case ExprNodes.When w -> Conditionals.when(w, batch, alloc, n);
            case ExprNodes.Coalesce c -> Conditionals.coalesce(c, batch, alloc, n);
            case ExprNodes.In in -> withOne(in.operand(), batch, alloc, n, x -> Conditionals.in(in, x, alloc, n));
            case ExprNodes.NullSafeEq q -> withTwo(q.left(), q.right(), batch, alloc, n, (x, y) -> Conditionals.nullSafeEq(q, x, y, alloc, n));
            case ExprNodes.Concat c -> StringFunctions.concat(c, batch, alloc, n);
            case ExprNodes.Regex r -> withOne(r.operand(), batch, alloc, n, x -> RegexFunctions.apply(r, x, alloc, n));
            case ExprNodes.MathFunction m -> m.argument() == null || m.kind() == ExprNodes.MathFunction.Kind.ROUND
                    ? withOne(m.operand(), batch, alloc, n, x -> MathFunctions.apply(m, x, null, alloc, n))
                    : withTwo(m.operand(), m.argument(), batch, alloc, n, (x, y) -> MathFunctions.apply(m, x, y, alloc, n));
        };
    }

    interface Op1 {
        Val apply(Val a);
    }

    interface Op2 {
        Val apply(Val a, Val b);
    }

    static Val withOne(Expr x, VectorSchemaRoot batch, BufferAllocator alloc, int n, Op1 op) {
        try (Val a = eval(x, batch, alloc, n)) {
            return op.apply(a);
        }
    }

    static Val withTwo(Expr x, Expr y, VectorSchemaRoot batch, BufferAllocator alloc, int n, Op2 op) {
        try (Val a = eval(x, batch, alloc, n); Val b = eval(y, batch, alloc, n)) {
            return op.apply(a, b);
        }
    }

    // ---- comparisons ----------------------------------------------------------------------------------

    static Val compare(Expr.Compare c, Val a, Val b, BufferAllocator alloc, int n) {
        if (a.isNullScalar() || b.isNullScalar()) {
            return Val.scalar(null, DataType.BOOLEAN);
        }
        ExprTypes.comparable(a.arrowType(), b.arrowType(), c);
        Val x = Coercions.forComparison(a, b, alloc, n, c);
        Val y = Coercions.forComparison(b, x, alloc, n, c);
        try {
            return compareAligned(c, x, y, alloc, n);
        } finally {
            if (x != a) {
                x.close();
            }
            if (y != b) {
                y.close();
            }
        }
    }

    private static Val compareAligned(Expr.Compare c, Val a, Val b, BufferAllocator alloc, int n) {
        if ((a.type() == DataType.DECIMAL || b.type() == DataType.DECIMAL) && !a.type().isFloating()
                && !b.type().isFloating()) {
            return DecimalOps.compare(c.op(), a, b, alloc, n);
        }
        DataType ta = a.type();
        DataType tb = b.type();
        CompareOp op = c.op();
        if (a.isScalar() && b.isScalar()) {
            int cmp = compareScalars(a.scalar(), b.scalar(), c);
            return Val.scalar(test(op, cmp), DataType.BOOLEAN);
        }
        if (ta == DataType.STRING || tb == DataType.STRING) {
            if (ta != tb) {
                throw new IllegalArgumentException("cannot compare " + ta + " with " + tb + " in " + c);
            }
            return compareStrings(op, a, b, alloc, n);
        }
        boolean[] nulls = Nulls.union(a, b, n);
        if (nulls == null && !a.isScalar() && b.isScalar()) {
            BitVector direct = columnToConstant(op, a.vector(), b.scalar(), alloc, n);
            if (direct != null) {
                return Val.of(direct, true);
            }
        }
        boolean[] r = new boolean[n];
        if (ta.isFloating() || tb.isFloating()) {
            double[] x = a.doubles(n);
            if (b.isScalar()) {
                double y = ((Number) b.scalar()).doubleValue();
                compareDoubles(op, x, y, r, n);
            } else {
                double[] y = b.doubles(n);
                for (int i = 0; i < n; i++) {
                    r[i] = test(op, Double.compare(x[i], y[i]));
                }
            }
        } else {
            long[] x = a.longs(n);
            if (b.isScalar()) {
                compareLongs(op, x, b.scalar() instanceof Boolean bool ? (bool ? 1 : 0) : ((Number) b.scalar()).longValue(), r, n);
            } else {
                long[] y = b.longs(n);
                for (int i = 0; i < n; i++) {
                    r[i] = test(op, Long.compare(x[i], y[i]));
                }
            }
        }
        return Val.of(bits(alloc, r, nulls, n), true);
    }

    /**
     * A null-free float64 or int64 column against a constant, read straight from the Arrow buffer into packed
     * result bits (the filter push-down's usual shape): no copy of the column, no boolean array. Returns
     * {@code null} for other shapes.
     */
    private static BitVector columnToConstant(CompareOp op, FieldVector v, Object constant, BufferAllocator alloc, int n) {
        byte[] packed = new byte[(n + 7) / 8];
        if (v instanceof Float8Vector f && constant instanceof Number num) {
            double y = num.doubleValue();
            java.lang.foreign.MemorySegment seg = dev.weft.data.internal.arrow.Segments.of(f.getDataBuffer());
            java.lang.foreign.ValueLayout.OfDouble d = java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
            switch (op) {
                case LT -> { for (int i = 0; i < n; i++) { packed[i >> 3] |= (byte) ((seg.get(d, (long) i << 3) < y ? 1 : 0) << (i & 7)); } }
                case LE -> { for (int i = 0; i < n; i++) { packed[i >> 3] |= (byte) ((seg.get(d, (long) i << 3) <= y ? 1 : 0) << (i & 7)); } }
                case GT -> { for (int i = 0; i < n; i++) { packed[i >> 3] |= (byte) ((seg.get(d, (long) i << 3) > y ? 1 : 0) << (i & 7)); } }
                case GE -> { for (int i = 0; i < n; i++) { packed[i >> 3] |= (byte) ((seg.get(d, (long) i << 3) >= y ? 1 : 0) << (i & 7)); } }
                case EQ -> { for (int i = 0; i < n; i++) { packed[i >> 3] |= (byte) ((seg.get(d, (long) i << 3) == y ? 1 : 0) << (i & 7)); } }
                case NE -> { for (int i = 0; i < n; i++) { packed[i >> 3] |= (byte) ((seg.get(d, (long) i << 3) != y ? 1 : 0) << (i & 7)); } }
            }
        } else if (v instanceof BigIntVector b && (constant instanceof Long || constant instanceof Integer
                || constant instanceof Short || constant instanceof Byte)) {
            long y = ((Number) constant).longValue();
            java.lang.foreign.MemorySegment seg = dev.weft.data.internal.arrow.Segments.of(b.getDataBuffer());
            java.lang.foreign.ValueLayout.OfLong l = java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
            switch (op) {
                case LT -> { for (int i = 0; i < n; i++) { packed[i >> 3] |= (byte) ((seg.get(l, (long) i << 3) < y ? 1 : 0) << (i & 7)); } }
                case LE -> { for (int i = 0; i < n; i++) { packed[i >> 3] |= (byte) ((seg.get(l, (long) i << 3) <= y ? 1 : 0) << (i & 7)); } }
                case GT -> { for (int i = 0; i < n; i++) { packed[i >> 3] |= (byte) ((seg.get(l, (long) i << 3) > y ? 1 : 0) << (i & 7)); } }
                case GE -> { for (int i = 0; i < n; i++) { packed[i >> 3] |= (byte) ((seg.get(l, (long) i << 3) >= y ? 1 : 0) << (i & 7)); } }
                case EQ -> { for (int i = 0; i < n; i++) { packed[i >> 3] |= (byte) ((seg.get(l, (long) i << 3) == y ? 1 : 0) << (i & 7)); } }
                case NE -> { for (int i = 0; i < n; i++) { packed[i >> 3] |= (byte) ((seg.get(l, (long) i << 3) != y ? 1 : 0) << (i & 7)); } }
            }
        } else {
            return null;
        }
        BitVector out = newBits(alloc, n);
        dev.weft.data.internal.arrow.Segments.writeBits(packed, out.getDataBuffer());
        out.getValidityBuffer().setOne(0, (n + 7) / 8);
        out.setValueCount(n);
        return out;
    }

    /** Column-vs-constant loops, one per operator, so the JIT sees a plain comparison per element. */
    private static void compareDoubles(CompareOp op, double[] x, double y, boolean[] r, int n) {
        switch (op) {
            case LT -> { for (int i = 0; i < n; i++) { r[i] = x[i] < y; } }
            case LE -> { for (int i = 0; i < n; i++) { r[i] = x[i] <= y; } }
            case GT -> { for (int i = 0; i < n; i++) { r[i] = x[i] > y; } }
            case GE -> { for (int i = 0; i < n; i++) { r[i] = x[i] >= y; } }
            case EQ -> { for (int i = 0; i < n; i++) { r[i] = x[i] == y; } }
            case NE -> { for (int i = 0; i < n; i++) { r[i] = x[i] != y; } }
        }
    }

    private static void compareLongs(CompareOp op, long[] x, long y, boolean[] r, int n) {
        switch (op) {
            case LT -> { for (int i = 0; i < n; i++) { r[i] = x[i] < y; } }
            case LE -> { for (int i = 0; i < n; i++) { r[i] = x[i] <= y; } }
            case GT -> { for (int i = 0; i < n; i++) { r[i] = x[i] > y; } }
            case GE -> { for (int i = 0; i < n; i++) { r[i] = x[i] >= y; } }
            case EQ -> { for (int i = 0; i < n; i++) { r[i] = x[i] == y; } }
            case NE -> { for (int i = 0; i < n; i++) { r[i] = x[i] != y; } }
        }
    }

    /** A boolean vector from values and a null mask, written as whole bitmaps. */
    static BitVector bits(BufferAllocator alloc, boolean[] values, boolean[] nulls, int n) {
        BitVector out = newBits(alloc, n);
        dev.weft.data.internal.arrow.Segments.writeBits(dev.weft.data.internal.arrow.Segments.pack(values, n), out.getDataBuffer());
        if (nulls == null) {
            out.getValidityBuffer().setOne(0, (n + 7) / 8);
        } else {
            boolean[] valid = new boolean[n];
            for (int i = 0; i < n; i++) {
                valid[i] = !nulls[i];
            }
            dev.weft.data.internal.arrow.Segments.writeBits(dev.weft.data.internal.arrow.Segments.pack(valid, n), out.getValidityBuffer());
        }
        out.setValueCount(n);
        return out;
    }

    static int compareScalars(Object x, Object y, Expr c) {
        if ((x instanceof java.math.BigDecimal || y instanceof java.math.BigDecimal) && x instanceof Number a
                && y instanceof Number b && !(a instanceof Double || a instanceof Float || b instanceof Double
                || b instanceof Float)) {
            return toBig(a).compareTo(toBig(b));
        }
        if (x instanceof Number a && y instanceof Number b) {
            return Double.compare(a.doubleValue(), b.doubleValue());
        }
        if (x instanceof String a && y instanceof String b) {
            return a.compareTo(b);
        }
        if (x instanceof Boolean a && y instanceof Boolean b) {
            return Boolean.compare(a, b);
        }
        throw new IllegalArgumentException("cannot compare " + x + " with " + y + " in " + c);
    }

    private static java.math.BigDecimal toBig(Number v) {
        return v instanceof java.math.BigDecimal d ? d : java.math.BigDecimal.valueOf(v.longValue());
    }

    private static Val compareStrings(CompareOp op, Val a, Val b, BufferAllocator alloc, int n) {
        boolean[] nulls = Nulls.union(a, b, n);
        boolean[] r = new boolean[n];
        if (a.isScalar() || b.isScalar()) {
            boolean flipped = a.isScalar();
            VarCharVector v = (VarCharVector) (flipped ? b.vector() : a.vector());
            byte[] lit = ((String) (flipped ? a.scalar() : b.scalar())).getBytes(StandardCharsets.UTF_8);
            CompareOp effective = flipped ? op.flip() : op;
            ArrowBuf data = v.getDataBuffer();
            ArrowBuf offsets = v.getOffsetBuffer();
            if (effective == CompareOp.EQ || effective == CompareOp.NE) {
                // Equality: a value of another length differs without looking at its bytes.
                boolean eq = effective == CompareOp.EQ;
                for (int i = 0; i < n; i++) {
                    int s = offsets.getInt((long) i * 4);
                    int end = offsets.getInt((long) (i + 1) * 4);
                    boolean same = end - s == lit.length && ByteFunctionHelpers.compare(data, s, end, lit, 0, lit.length) == 0;
                    r[i] = same == eq;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    int s = offsets.getInt((long) i * 4);
                    int end = offsets.getInt((long) (i + 1) * 4);
                    r[i] = test(effective, ByteFunctionHelpers.compare(data, s, end, lit, 0, lit.length));
                }
            }
        } else {
            VarCharVector x = (VarCharVector) a.vector();
            VarCharVector y = (VarCharVector) b.vector();
            for (int i = 0; i < n; i++) {
                int xs = x.getOffsetBuffer().getInt((long) i * 4);
                int xe = x.getOffsetBuffer().getInt((long) (i + 1) * 4);
                int ys = y.getOffsetBuffer().getInt((long) i * 4);
                int ye = y.getOffsetBuffer().getInt((long) (i + 1) * 4);
                r[i] = test(op, ByteFunctionHelpers.compare(x.getDataBuffer(), xs, xe, y.getDataBuffer(), ys, ye));
            }
        }
        if (nulls != null) {
            for (int i = 0; i < n; i++) {
                r[i] &= !nulls[i];
            }
        }
        return Val.of(bits(alloc, r, nulls, n), true);
    }

    static boolean test(CompareOp op, int cmp) {
        return switch (op) {
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
        };
    }

    // ---- arithmetic -----------------------------------------------------------------------------------

    private static Val arithmetic(Expr.Arithmetic e, Val a, Val b, BufferAllocator alloc, int n) {
        org.apache.arrow.vector.types.pojo.ArrowType exact = ExprTypes.arithmeticType(e.op(),
                a.isNullScalar() ? null : a.arrowType(), b.isNullScalar() ? null : b.arrowType(), e);
        DataType type = DataType.of(exact);
        if (a.isNullScalar() || b.isNullScalar()) {
            return Val.scalar(null, exact);
        }
        if (type == DataType.DECIMAL) {
            return DecimalOps.arithmetic(e, (org.apache.arrow.vector.types.pojo.ArrowType.Decimal) exact, a, b, alloc, n);
        }
        ArithmeticOp op = e.op();
        if (a.isScalar() && b.isScalar()) {
            Number x = (Number) a.scalar();
            Number y = (Number) b.scalar();
            Object r = type == DataType.FLOAT64 ? (Object) applyDouble(op, x.doubleValue(), y.doubleValue())
                    : type == DataType.INT32 ? (Object) (int) applyLong(op, x.longValue(), y.longValue(), e, 0)
                    : (Object) applyLong(op, x.longValue(), y.longValue(), e, 0);
            return Val.scalar(r, type);
        }
        boolean[] nulls = Nulls.union(a, b, n);
        if (type == DataType.FLOAT64) {
            Float8Vector out = new Float8Vector("expr", alloc);
            out.allocateNew(n);
            if (a.isScalar() || b.isScalar()) {
                // Column with constant: one array, no broadcast copy of the constant.
                double[] x = a.isScalar() ? b.doubles(n) : a.doubles(n);
                double c = ((Number) (a.isScalar() ? a.scalar() : b.scalar())).doubleValue();
                withConstant(op, x, c, a.isScalar(), n);
                dev.weft.data.internal.arrow.Segments.writeDoubles(x, out.getDataBuffer(), n);
                Nulls.setValidity(out, n, nulls);
                return Val.of(out, true);
            }
            double[] x = a.doubles(n);
            double[] y = b.doubles(n);
            switch (op) {
                case ADD -> { for (int i = 0; i < n; i++) { x[i] += y[i]; } }
                case SUBTRACT -> { for (int i = 0; i < n; i++) { x[i] -= y[i]; } }
                case MULTIPLY -> { for (int i = 0; i < n; i++) { x[i] *= y[i]; } }
                case DIVIDE -> { for (int i = 0; i < n; i++) { x[i] /= y[i]; } }
                case MODULO -> { for (int i = 0; i < n; i++) { x[i] %= y[i]; } }
            }
            dev.weft.data.internal.arrow.Segments.writeDoubles(x, out.getDataBuffer(), n);
            Nulls.setValidity(out, n, nulls);
            return Val.of(out, true);
        }
        long[] x = a.longs(n);
        long[] y = b.longs(n);
        if (type == DataType.INT32) {
            IntVector out = new IntVector("expr", alloc);
            out.allocateNew(n);
            ArrowBuf buf = out.getDataBuffer();
            for (int i = 0; i < n; i++) {
                buf.setInt((long) i * 4, (nulls != null && nulls[i]) ? 0 : (int) applyLong(op, x[i], y[i], e, i));
            }
            Nulls.setValidity(out, n, nulls);
            return Val.of(out, true);
        }
        BigIntVector out = new BigIntVector("expr", alloc);
        out.allocateNew(n);
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) { x[i] += y[i]; } }
            case SUBTRACT -> { for (int i = 0; i < n; i++) { x[i] -= y[i]; } }
            case MULTIPLY -> { for (int i = 0; i < n; i++) { x[i] *= y[i]; } }
            case MODULO -> {
                if (b.isScalar() && n > 0 && y[0] != 0) {
                    long m = y[0];
                    for (int i = 0; i < n; i++) {
                        x[i] %= m;
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        x[i] = (nulls != null && nulls[i]) ? 0 : applyLong(op, x[i], y[i], e, i);
                    }
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    x[i] = (nulls != null && nulls[i]) ? 0 : applyLong(op, x[i], y[i], e, i);
                }
            }
        }
        dev.weft.data.internal.arrow.Segments.writeLongs(x, out.getDataBuffer(), n);
        Nulls.setValidity(out, n, nulls);
        return Val.of(out, true);
    }

    /** {@code x[i] = x[i] op c}, or {@code c op x[i]} when the constant is on the left. */
    private static void withConstant(ArithmeticOp op, double[] x, double c, boolean constantLeft, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) { x[i] += c; } }
            case MULTIPLY -> { for (int i = 0; i < n; i++) { x[i] *= c; } }
            case SUBTRACT -> {
                if (constantLeft) {
                    for (int i = 0; i < n; i++) { x[i] = c - x[i]; }
                } else {
                    for (int i = 0; i < n; i++) { x[i] -= c; }
                }
            }
            case DIVIDE -> {
                if (constantLeft) {
                    for (int i = 0; i < n; i++) { x[i] = c / x[i]; }
                } else {
                    for (int i = 0; i < n; i++) { x[i] /= c; }
                }
            }
            case MODULO -> {
                if (constantLeft) {
                    for (int i = 0; i < n; i++) { x[i] = c % x[i]; }
                } else {
                    for (int i = 0; i < n; i++) { x[i] %= c; }
                }
            }
        }
    }

    private static double applyDouble(ArithmeticOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUBTRACT -> x - y;
            case MULTIPLY -> x * y;
            case DIVIDE -> x / y;
            case MODULO -> x % y;
        };
    }

    private static long applyLong(ArithmeticOp op, long x, long y, Expr e, int row) {
        return switch (op) {
            case ADD -> x + y;
            case SUBTRACT -> x - y;
            case MULTIPLY -> x * y;
            case DIVIDE -> throw new IllegalStateException("integer division is evaluated as double");
            case MODULO -> {
                if (y == 0) {
                    throw new WeftException(ErrorType.USER_ERROR, "modulo by zero in " + e + " at row " + row);
                }
                yield x % y;
            }
        };
    }

    // ---- boolean logic --------------------------------------------------------------------------------

    private static Val nullCheck(Val a, BufferAllocator alloc, int n) {
        if (a.isScalar()) {
            return Val.scalar(a.scalar() == null, DataType.BOOLEAN);
        }
        FieldVector v = a.vector();
        BitVector out = newBits(alloc, n);
        boolean none = v.getNullCount() == 0;
        for (int i = 0; i < n; i++) {
            out.set(i, !none && v.isNull(i) ? 1 : 0);
        }
        out.setValueCount(n);
        return Val.of(out, true);
    }

    static void requireBoolean(Val v, Expr e) {
        if (!v.isNullScalar() && v.type() != DataType.BOOLEAN) {
            throw new IllegalArgumentException("boolean logic needs boolean operands: " + e + " has an operand of type " + v.type());
        }
    }

    static BitVector newBits(BufferAllocator alloc, int n) {
        BitVector out = new BitVector("expr", alloc);
        out.allocateNew(n);
        return out;
    }

    static long longAt(FieldVector v, int i) {
        return switch (v) {
            case BigIntVector b -> b.getDataBuffer().getLong((long) i * 8);
            case IntVector b -> b.getDataBuffer().getInt((long) i * 4);
            case SmallIntVector b -> b.getDataBuffer().getShort((long) i * 2);
            case TinyIntVector b -> b.getDataBuffer().getByte(i);
            case BitVector b -> b.getDataBuffer().getByte(i >> 3) >> (i & 7) & 1;
            case Float8Vector f -> (long) f.getDataBuffer().getDouble((long) i * 8);
            case Float4Vector f -> (long) f.getDataBuffer().getFloat((long) i * 4);
            default -> throw new IllegalArgumentException("column '" + v.getName() + "' of type " + v.getField().getType()
                    + " is not numeric");
        };
    }
}
