package dev.weft.data.internal.expr;

import dev.weft.data.ArithmeticOp;
import dev.weft.data.DataType;
import dev.weft.data.Expr;
import dev.weft.data.ExprNodes;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The result type of an expression over a schema, computed without data: for plans, output schemas and the
 * analyzer's checks. One set of rules shared with the evaluator, so a plan's schema is the schema its batches have.
 */
public final class ExprTypes {
    private ExprTypes() {
    }

    /** A type error in an expression; {@link #column()} names the missing column when that is the error. */
    public static final class TypeError extends IllegalArgumentException {
        private final String column;

        TypeError(String column, String message) {
            super(message);
            this.column = column;
        }

        /** The missing column, or null when the error is a type mismatch. */
        public String column() {
            return column;
        }
    }

    /** The kind of {@code e} over {@code schema}; {@code null} for the untyped null literal. */
    public static DataType typeOf(Expr e, Schema schema) {
        ArrowType t = arrowType(e, schema);
        return t == null ? null : DataType.of(t);
    }

    /**
     * The exact Arrow type of {@code e} over {@code schema} (a column keeps its own; computed dates are
     * {@code Date(DAY)}, timestamps {@code Timestamp(MICROSECOND, UTC)}, decimals carry their precision and scale);
     * {@code null} for the untyped null literal. Fails with a {@link TypeError}.
     */
    public static ArrowType arrowType(Expr e, Schema schema) {
        return switch (e) {
            case Expr.Column c -> field(schema, c.name()).getType();
            case Expr.Literal l -> literalType(l.value());
            case Expr.Compare c -> {
                comparable(arrowType(c.left(), schema), arrowType(c.right(), schema), c);
                yield ArrowType.Bool.INSTANCE;
            }
            case ExprNodes.NullSafeEq c -> {
                comparable(arrowType(c.left(), schema), arrowType(c.right(), schema), c);
                yield ArrowType.Bool.INSTANCE;
            }
            case Expr.Arithmetic a -> arithmeticType(a.op(), arrowType(a.left(), schema), arrowType(a.right(), schema), a);
            case Expr.And a -> logic(e, schema, a.left(), a.right());
            case Expr.Or o -> logic(e, schema, o.left(), o.right());
            case Expr.Not n -> logic(e, schema, n.operand());
            case Expr.IsNull n -> {
                arrowType(n.operand(), schema);
                yield ArrowType.Bool.INSTANCE;
            }
            case Expr.Cast c -> {
                ArrowType from = arrowType(c.operand(), schema);
                if (from != null) {
                    kind(from, c, "cast");
                }
                yield castType(c);
            }
            case Expr.StringFunction f -> {
                requireKind(arrowType(f.operand(), schema), DataType.STRING, f, f.kind().name().toLowerCase(Locale.ROOT));
                yield f.kind() == Expr.StringFunction.Kind.LENGTH ? DataType.INT32.arrowType() : ArrowType.Utf8.INSTANCE;
            }
            case ExprNodes.DatePart p -> {
                requireTemporal(arrowType(p.operand(), schema), p);
                yield DataType.INT32.arrowType();
            }
            case ExprNodes.DateTrunc t -> canonicalTemporal(requireTemporal(arrowType(t.operand(), schema), t));
            case ExprNodes.DateDiff d -> {
                requireTemporal(arrowType(d.end(), schema), d);
                requireTemporal(arrowType(d.start(), schema), d);
                yield DataType.INT32.arrowType();
            }
            case ExprNodes.DateAdd d -> {
                DataType t = requireTemporal(arrowType(d.operand(), schema), d);
                ArrowType days = arrowType(d.days(), schema);
                if (days != null && !kind(days, d, "dateAdd").isIntegral()) {
                    throw new TypeError(null, "dateAdd needs an integer number of days: " + d + " has " + days);
                }
                yield canonicalTemporal(t);
            }
            case ExprNodes.AddInterval a -> {
                DataType t = requireTemporal(arrowType(a.operand(), schema), a);
                yield t == DataType.DATE && a.micros() == 0 ? DataType.DATE.arrowType() : DataType.TIMESTAMP.arrowType();
            }
            case ExprNodes.When w -> {
                for (Expr c : w.conditions()) {
                    requireKind(arrowType(c, schema), DataType.BOOLEAN, w, "when");
                }
                ArrowType t = null;
                for (Expr v : w.values()) {
                    t = common(t, arrowType(v, schema), w);
                }
                yield w.otherwise() == null ? t : common(t, arrowType(w.otherwise(), schema), w);
            }
            case ExprNodes.Coalesce c -> {
                ArrowType t = null;
                for (Expr x : c.operands()) {
                    t = common(t, arrowType(x, schema), c);
                }
                yield t;
            }
            case ExprNodes.Concat c -> {
                for (Expr x : c.operands()) {
                    ArrowType t = arrowType(x, schema);
                    if (t != null) {
                        kind(t, c, "concat");
                    }
                }
                yield ArrowType.Utf8.INSTANCE;
            }
            case ExprNodes.Regex r -> {
                requireKind(arrowType(r.operand(), schema), DataType.STRING, r, r.kind().name().toLowerCase(Locale.ROOT));
                yield r.kind() == ExprNodes.Regex.Kind.LIKE || r.kind() == ExprNodes.Regex.Kind.RLIKE
                        ? ArrowType.Bool.INSTANCE : ArrowType.Utf8.INSTANCE;
            }
            case ExprNodes.In in -> {
                ArrowType t = arrowType(in.operand(), schema);
                for (Object v : in.values()) {
                    comparable(t, literalType(v), in);
                }
                yield ArrowType.Bool.INSTANCE;
            }
            case ExprNodes.MathFunction m -> mathType(m, arrowType(m.operand(), schema),
                    m.argument() == null ? null : arrowType(m.argument(), schema));
        };
    }

    static ArrowType literalType(Object value) {
        return switch (value) {
            case null -> null;
            case BigDecimal d -> Decimals.of(d);
            default -> new Expr.Literal(value).type().arrowType();
        };
    }

    static ArrowType castType(Expr.Cast c) {
        return c.type() == DataType.DECIMAL ? new ArrowType.Decimal(c.precision(), c.scale(), 128) : c.type().arrowType();
    }

    static ArrowType canonicalTemporal(DataType t) {
        return t == null ? null : t.arrowType();
    }

    /** The kind of a non-null type, or a type error naming the expression. */
    static DataType kind(ArrowType t, Expr e, String what) {
        try {
            return DataType.of(t);
        } catch (IllegalArgumentException ex) {
            throw new TypeError(null, what + " does not support " + t + " in " + e);
        }
    }

    private static void requireKind(ArrowType t, DataType want, Expr e, String what) {
        if (t != null && kind(t, e, what) != want) {
            throw new TypeError(null, what + " needs a " + want.name().toLowerCase(Locale.ROOT) + " operand: " + e
                    + " has an operand of type " + DataType.of(t));
        }
    }

    private static DataType requireTemporal(ArrowType t, Expr e) {
        if (t == null) {
            return null;
        }
        DataType k = kind(t, e, "a date function");
        if (!k.isTemporal()) {
            throw new TypeError(null, "date functions need a DATE or TIMESTAMP operand: " + e
                    + " has an operand of type " + k);
        }
        return k;
    }

    private static ArrowType logic(Expr e, Schema schema, Expr... operands) {
        for (Expr x : operands) {
            ArrowType t = arrowType(x, schema);
            if (t != null && kind(t, e, "boolean logic") != DataType.BOOLEAN) {
                throw new TypeError(null, "boolean logic needs boolean operands: " + e + " has an operand " + x
                        + " of type " + DataType.of(t));
            }
        }
        return ArrowType.Bool.INSTANCE;
    }

    /** Fails unless values of the two types can be compared (numbers with numbers, dates with timestamps or strings). */
    static void comparable(ArrowType l, ArrowType r, Expr e) {
        if (l == null || r == null) {
            return;
        }
        DataType a = kind(l, e, "comparison");
        DataType b = kind(r, e, "comparison");
        boolean ok = a == b || a.isNumeric() && b.isNumeric() || a.isTemporal() && b.isTemporal()
                || a.isTemporal() && b == DataType.STRING || b.isTemporal() && a == DataType.STRING;
        if (!ok) {
            throw new TypeError(null, "cannot compare " + a + " with " + b + " in " + e);
        }
    }

    /** SQL's result type of arithmetic: integers stay integers (division gives FLOAT64), decimals by Spark's rules. */
    static ArrowType arithmeticType(ArithmeticOp op, ArrowType l, ArrowType r, Expr e) {
        DataType a = l == null ? null : kind(l, e, "arithmetic");
        DataType b = r == null ? null : kind(r, e, "arithmetic");
        if ((a != null && !a.isNumeric()) || (b != null && !b.isNumeric())) {
            throw new TypeError(null, "arithmetic needs numbers: " + e + " has operands of type " + a + " and " + b
                    + (a != null && a.isTemporal() || b != null && b.isTemporal()
                    ? " (use dateAdd, dateDiff or plus(Period/Duration) for dates)" : ""));
        }
        if ((a != null && a.isFloating()) || (b != null && b.isFloating())) {
            return DataType.FLOAT64.arrowType();
        }
        if (a == DataType.DECIMAL || b == DataType.DECIMAL) {
            ArrowType.Decimal x = Decimals.of(l == null ? r : l);
            ArrowType.Decimal y = Decimals.of(r == null ? l : r);
            return switch (op) {
                case ADD, SUBTRACT -> Decimals.add(x, y);
                case MULTIPLY -> Decimals.multiply(x, y);
                case DIVIDE -> Decimals.divide(x, y);
                case MODULO -> Decimals.modulo(x, y);
            };
        }
        if (op == ArithmeticOp.DIVIDE) {
            return DataType.FLOAT64.arrowType();
        }
        if ((a == null || a == DataType.INT32) && (b == null || b == DataType.INT32)) {
            return DataType.INT32.arrowType();
        }
        return DataType.INT64.arrowType();
    }

    /** The type holding values of both (for when/otherwise and coalesce); null is untyped. */
    static ArrowType common(ArrowType x, ArrowType y, Expr e) {
        if (x == null) {
            return y;
        }
        if (y == null) {
            return x;
        }
        DataType a = kind(x, e, "a conditional");
        DataType b = kind(y, e, "a conditional");
        if (a == b) {
            return switch (a) {
                case DECIMAL -> Decimals.widen((ArrowType.Decimal) x, (ArrowType.Decimal) y);
                case DATE, TIMESTAMP -> a.arrowType();
                default -> x.equals(y) ? x : a.arrowType();
            };
        }
        if (a.isNumeric() && b.isNumeric()) {
            if (a.isFloating() || b.isFloating()) {
                return DataType.FLOAT64.arrowType();
            }
            if (a == DataType.DECIMAL || b == DataType.DECIMAL) {
                return Decimals.widen(Decimals.of(x), Decimals.of(y));
            }
            return DataType.INT64.arrowType();
        }
        if (a.isTemporal() && b.isTemporal()) {
            return DataType.TIMESTAMP.arrowType();
        }
        throw new TypeError(null, "values of types " + a + " and " + b + " cannot be mixed in " + e);
    }

    static ArrowType mathType(ExprNodes.MathFunction m, ArrowType t, ArrowType arg) {
        if (t == null) {
            return m.kind() == ExprNodes.MathFunction.Kind.ROUND || m.kind() == ExprNodes.MathFunction.Kind.ABS
                    ? null : DataType.FLOAT64.arrowType();
        }
        DataType k = kind(t, m, m.kind().name().toLowerCase(Locale.ROOT));
        if (!k.isNumeric() || (arg != null && !kind(arg, m, "pow").isNumeric())) {
            throw new TypeError(null, m.kind().name().toLowerCase(Locale.ROOT) + " needs numbers: " + m
                    + " has an operand of type " + k);
        }
        return switch (m.kind()) {
            case ABS -> k == DataType.DECIMAL ? t : k.arrowType();
            case ROUND -> {
                if (k == DataType.DECIMAL) {
                    ArrowType.Decimal d = (ArrowType.Decimal) t;
                    int scale = Math.max(0, Math.min(d.getScale(), (Integer) ((Expr.Literal) m.argument()).value()));
                    yield Decimals.bounded(d.getPrecision() - d.getScale() + scale + 1, scale);
                }
                yield k.arrowType();
            }
            case FLOOR, CEIL -> {
                if (k == DataType.DECIMAL) {
                    ArrowType.Decimal d = (ArrowType.Decimal) t;
                    yield Decimals.bounded(d.getPrecision() - d.getScale() + 1, 0);
                }
                yield k.isFloating() ? DataType.INT64.arrowType() : k.arrowType();
            }
            case POW, SQRT -> DataType.FLOAT64.arrowType();
        };
    }

    /** The field named {@code name}, failing with the available columns when it is absent. */
    public static Field field(Schema schema, String name) {
        for (Field f : schema.getFields()) {
            if (f.getName().equals(name)) {
                return f;
            }
        }
        throw new TypeError(name, "column '" + name + "' does not exist");
    }

    static List<String> names(Schema schema) {
        return schema.getFields().stream().map(Field::getName).toList();
    }
}
