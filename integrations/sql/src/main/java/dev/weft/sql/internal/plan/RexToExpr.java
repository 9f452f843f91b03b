package dev.weft.sql.internal.plan;

import dev.weft.data.ArithmeticOp;
import dev.weft.data.CompareOp;
import dev.weft.data.DataType;
import dev.weft.data.Expr;
import dev.weft.sql.SqlException;
import dev.weft.sql.internal.catalog.SqlTypes;
import dev.weft.data.ExprNodes;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Translates Calcite row expressions over an input into Weft column expressions ({@link Expr}), casting where
 * Weft's result type differs from the SQL type. What datasets cannot express yet fails with a
 * {@link SqlException} "not supported yet: ...".
 */
public final class RexToExpr {
    private final List<String> columns;
    private final List<RelDataType> columnTypes;
    private final Implementor implementor;
    private final RexBuilder rexBuilder;
    private final Temporal temporal = new Temporal(this);

    /** A Weft expression and the type Weft computes it as. */
    public record Typed(Expr expr, DataType type) {
    }

    public RexToExpr(List<String> columns, List<RelDataType> columnTypes, Implementor implementor, RexBuilder rexBuilder) {
        this.columns = columns;
        this.columnTypes = columnTypes;
        this.implementor = implementor;
        this.rexBuilder = rexBuilder;
    }

    public Expr translate(RexNode node) {
        return typed(node).expr();
    }

    public Typed typed(RexNode node) {
        return switch (node) {
            case RexInputRef ref -> column(ref);
            case RexLiteral literal -> literal(literal);
            case RexDynamicParam param -> parameter(param);
            case RexCall call -> call(call);
            default -> throw SqlException.notSupported("the expression " + node);
        };
    }

    private Typed column(RexInputRef ref) {
        RelDataType type = columnTypes.get(ref.getIndex());
        return new Typed(Expr.col(columns.get(ref.getIndex())), SqlTypes.weftType(type, columns.get(ref.getIndex())));
    }

    private Typed literal(RexLiteral literal) {
        RelDataType type = literal.getType();
        if (literal.isNull()) {
            if (type.getSqlTypeName() == SqlTypeName.NULL) {
                return new Typed(Expr.lit(null), null);
            }
            DataType t = SqlTypes.weftType(type, literal.toString());
            return new Typed(SqlTypes.cast(Expr.lit(null), type, literal.toString()), t);
        }
        return switch (type.getSqlTypeName()) {
            case BOOLEAN -> new Typed(Expr.lit(literal.getValueAs(Boolean.class)), DataType.BOOLEAN);
            case TINYINT, SMALLINT, INTEGER -> new Typed(Expr.lit(literal.getValueAs(Integer.class)), DataType.INT32);
            case BIGINT -> new Typed(Expr.lit(literal.getValueAs(Long.class)), DataType.INT64);
            case DECIMAL -> new Typed(Expr.lit(literal.getValueAs(BigDecimal.class)), DataType.DECIMAL);
            case DOUBLE, FLOAT -> new Typed(Expr.lit(literal.getValueAs(BigDecimal.class).doubleValue()),
                    DataType.FLOAT64);
            case DATE -> new Typed(Expr.lit(LocalDate.ofEpochDay(literal.getValueAs(Integer.class))), DataType.DATE);
            case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE ->
                    new Typed(Expr.lit(Instant.ofEpochMilli(literal.getValueAs(Long.class))), DataType.TIMESTAMP);
            case REAL -> new Typed(Expr.lit(literal.getValueAs(BigDecimal.class).floatValue()), DataType.FLOAT32);
            case CHAR, VARCHAR -> new Typed(Expr.lit(literal.getValueAs(String.class)), DataType.STRING);
            default -> throw SqlException.notSupported(type.getSqlTypeName() + " literals (" + literal
                    + "); datasets has no " + type.getSqlTypeName() + " type");
        };
    }

    private Typed parameter(RexDynamicParam param) {
        Object value = implementor.parameter(param.getIndex());
        DataType t = SqlTypes.weftType(param.getType(), "parameter " + (param.getIndex() + 1));
        return new Typed(Expr.lit(Parameters.convert(value, t, param.getIndex())), t);
    }

    private Typed call(RexCall call) {
        List<RexNode> ops = call.getOperands();
        switch (call.getKind()) {
            case SEARCH:
                return typed(RexUtil.expandSearch(rexBuilder, null, call));
            case EQUALS:
                return compare(CompareOp.EQ, ops);
            case NOT_EQUALS:
                return compare(CompareOp.NE, ops);
            case LESS_THAN:
                return compare(CompareOp.LT, ops);
            case LESS_THAN_OR_EQUAL:
                return compare(CompareOp.LE, ops);
            case GREATER_THAN:
                return compare(CompareOp.GT, ops);
            case GREATER_THAN_OR_EQUAL:
                return compare(CompareOp.GE, ops);
            case AND: {
                Expr e = translate(ops.getFirst());
                for (int i = 1; i < ops.size(); i++) {
                    e = e.and(translate(ops.get(i)));
                }
                return new Typed(e, DataType.BOOLEAN);
            }
            case OR: {
                Expr e = translate(ops.getFirst());
                for (int i = 1; i < ops.size(); i++) {
                    e = e.or(translate(ops.get(i)));
                }
                return new Typed(e, DataType.BOOLEAN);
            }
            case NOT:
                return new Typed(translate(ops.getFirst()).not(), DataType.BOOLEAN);
            case IS_NULL:
                return new Typed(translate(ops.getFirst()).isNull(), DataType.BOOLEAN);
            case IS_NOT_NULL:
                return new Typed(translate(ops.getFirst()).isNotNull(), DataType.BOOLEAN);
            case IS_TRUE:
                return new Typed(isTrue(ops.getFirst()), DataType.BOOLEAN);
            case IS_NOT_TRUE:
                return new Typed(isTrue(ops.getFirst()).not(), DataType.BOOLEAN);
            case IS_FALSE:
                return new Typed(isFalse(ops.getFirst()), DataType.BOOLEAN);
            case IS_NOT_FALSE:
                return new Typed(isFalse(ops.getFirst()).not(), DataType.BOOLEAN);
            case PLUS:
                return Temporal.isInterval(ops.get(0)) || Temporal.isInterval(ops.get(1))
                        ? temporal.plusInterval(call, false) : arithmetic(ArithmeticOp.ADD, call);
            case MINUS:
                if (Temporal.isInterval(ops.get(1))) {
                    return temporal.plusInterval(call, true);
                }
                if (SqlTypeUtil.isInterval(call.getType())) {
                    throw SqlException.notSupported("the difference of two dates or timestamps as an interval (" + call
                            + "); use DATEDIFF or compare the dates");
                }
                return arithmetic(ArithmeticOp.SUBTRACT, call);
            case TIMES:
                return arithmetic(ArithmeticOp.MULTIPLY, call);
            case DIVIDE:
                return arithmetic(ArithmeticOp.DIVIDE, call);
            case MOD:
                return arithmetic(ArithmeticOp.MODULO, call);
            case MINUS_PREFIX: {
                Typed operand = typed(ops.getFirst());
                DataType t = operand.type() == null ? DataType.FLOAT64 : operand.type();
                Object zero = switch (t) {
                    case INT32 -> 0;
                    case INT64 -> 0L;
                    case DECIMAL -> BigDecimal.ZERO;
                    default -> 0.0;
                };
                return conform(new Typed(Expr.lit(zero).minus(operand.expr()), t.isNumeric() && !t.isFloating() ? t
                        : DataType.FLOAT64), call);
            }
            case PLUS_PREFIX:
                return typed(ops.getFirst());
            case CAST:
                return cast(typed(ops.getFirst()), call.getType(), call);
            case CASE:
                return caseWhen(call);
            case COALESCE: {
                Object[] operands = ops.stream().map(this::translate).toArray();
                return conform(new Typed(Expr.coalesce(operands), SqlTypes.weftType(call.getType(), call.toString())),
                        call);
            }
            case LIKE:
                return like(call);
            case EXTRACT:
                return conform(temporal.extract(call), call);
            default:
                return function(call);
        }
    }

    /** {@code CASE WHEN c1 THEN v1 ... ELSE e END}: Calcite's operands alternate conditions and values, ELSE last. */
    private Typed caseWhen(RexCall call) {
        List<RexNode> ops = call.getOperands();
        ExprNodes.When when = null;
        for (int i = 0; i + 1 < ops.size(); i += 2) {
            Expr condition = translate(ops.get(i));
            Expr value = valueOf(ops.get(i + 1), call);
            when = when == null ? Expr.when(condition, value) : when.when(condition, value);
        }
        Expr e = ops.size() % 2 == 1 ? when.otherwise(valueOf(ops.getLast(), call)) : when;
        return conform(new Typed(e, SqlTypes.weftType(call.getType(), call.toString())), call);
    }

    /** A branch of a conditional, as the conditional's type when Weft would compute another. */
    private Expr valueOf(RexNode branch, RexCall call) {
        Typed t = typed(branch);
        DataType wanted = SqlTypes.weftType(call.getType(), call.toString());
        if (t.type() == wanted || t.type() != null && t.type().isNumeric() && wanted.isNumeric()
                && wanted != DataType.DECIMAL) {
            return t.expr();
        }
        return SqlTypes.cast(t.expr(), call.getType(), call.toString());
    }

    /** {@code LIKE pattern [ESCAPE e]} with a constant pattern: to datasets' LIKE, whose escape is backslash. */
    private Typed like(RexCall call) {
        List<RexNode> ops = call.getOperands();
        String pattern = constantString(ops.get(1), call);
        Character escape = null;
        if (ops.size() > 2) {
            String e = constantString(ops.get(2), call);
            if (e.length() != 1) {
                throw new SqlException("the ESCAPE of LIKE must be one character, got '" + e + "' in " + call);
            }
            escape = e.charAt(0);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (escape != null && c == escape && i + 1 < pattern.length()) {
                b.append('\\').append(pattern.charAt(++i));
            } else if (c == '\\') {
                b.append("\\\\");
            } else {
                b.append(c);
            }
        }
        return new Typed(translate(ops.getFirst()).like(b.toString()), DataType.BOOLEAN);
    }

    private String constantString(RexNode node, RexCall call) {
        if (node instanceof RexLiteral l && !l.isNull()) {
            return l.getValueAs(String.class);
        }
        if (node instanceof RexDynamicParam p && implementor.parameter(p.getIndex()) instanceof Object v) {
            return v.toString();
        }
        throw SqlException.notSupported(call.getOperator().getName() + " whose pattern is not a constant: " + call);
    }

    private Typed function(RexCall call) {
        String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
        List<RexNode> ops = call.getOperands();
        return switch (name) {
            case "UPPER" -> new Typed(translate(ops.getFirst()).upper(), DataType.STRING);
            case "LOWER" -> new Typed(translate(ops.getFirst()).lower(), DataType.STRING);
            case "CHAR_LENGTH", "CHARACTER_LENGTH", "LENGTH" ->
                    conform(new Typed(translate(ops.getFirst()).length(), DataType.INT32), call);
            case "SUBSTRING" -> substring(call);
            case "ABS" -> math(call, translate(ops.getFirst()).abs(), typed(ops.getFirst()).type());
            case "ROUND" -> math(call, translate(ops.getFirst()).round(ops.size() > 1 ? (int) constant(ops.get(1), call)
                    : 0), typed(ops.getFirst()).type());
            case "FLOOR", "CEIL", "CEILING" -> {
                if (ops.size() > 1) {
                    throw SqlException.notSupported(name + " of a date or time to a unit (" + call + ")");
                }
                DataType t = typed(ops.getFirst()).type();
                Expr e = translate(ops.getFirst());
                yield math(call, name.equals("FLOOR") ? e.floor() : e.ceil(), t != null && t.isFloating()
                        ? DataType.INT64 : t);
            }
            case "SQRT" -> conform(new Typed(translate(ops.getFirst()).sqrt(), DataType.FLOAT64), call);
            case "POWER" -> conform(new Typed(translate(ops.getFirst()).pow(translate(ops.get(1))), DataType.FLOAT64),
                    call);
            case "||", "CONCAT" -> new Typed(Expr.concat(ops.stream().map(this::translate).toArray()), DataType.STRING);
            case "TRIM" -> trim(call);
            default -> throw SqlException.notSupported("the function " + call.getOperator().getName() + " (in " + call
                    + "); datasets has no such expression yet");
        };
    }

    /** A math function whose Weft result type is {@code type} (null: that of a null literal), as the SQL type. */
    private Typed math(RexCall call, Expr e, DataType type) {
        return conform(new Typed(e, type == null ? DataType.FLOAT64 : type), call);
    }

    /** {@code TRIM([BOTH | LEADING | TRAILING] ' ' FROM s)}; datasets trims white space, so only a space is. */
    private Typed trim(RexCall call) {
        List<RexNode> ops = call.getOperands();
        String chars = constantString(ops.get(1), call);
        if (!chars.equals(" ")) {
            throw SqlException.notSupported("TRIM of characters other than a space (" + call + ")");
        }
        Expr s = translate(ops.get(2));
        String flag = String.valueOf(((RexLiteral) ops.getFirst()).getValue2());
        return new Typed(switch (flag) {
            case "LEADING" -> s.ltrim();
            case "TRAILING" -> s.rtrim();
            default -> s.trim();
        }, DataType.STRING);
    }

    private Typed substring(RexCall call) {
        List<RexNode> ops = call.getOperands();
        long start = constant(ops.get(1), call);
        long length = ops.size() > 2 ? constant(ops.get(2), call) : Integer.MAX_VALUE;
        if (start < 1) {
            length = length + start - 1;
            start = 1;
        }
        length = Math.max(0, Math.min(length, Integer.MAX_VALUE));
        return new Typed(translate(ops.getFirst()).substr((int) Math.min(start - 1, Integer.MAX_VALUE), (int) length),
                DataType.STRING);
    }

    private long constant(RexNode node, RexCall call) {
        if (node instanceof RexLiteral l && !l.isNull()) {
            return l.getValueAs(BigDecimal.class).longValue();
        }
        if (node instanceof RexDynamicParam p) {
            Object v = implementor.parameter(p.getIndex());
            if (v instanceof Number n) {
                return n.longValue();
            }
        }
        throw SqlException.notSupported("SUBSTRING whose start or length is not a constant: " + call);
    }

    private Expr isTrue(RexNode operand) {
        Expr e = translate(operand);
        return e.isNotNull().and(e);
    }

    private Expr isFalse(RexNode operand) {
        Expr e = translate(operand);
        return e.isNotNull().and(e.not());
    }

    private Typed compare(CompareOp op, List<RexNode> ops) {
        Typed left = typed(ops.get(0));
        Typed right = typed(ops.get(1));
        return new Typed(new Expr.Compare(op, left.expr(), right.expr()), DataType.BOOLEAN);
    }

    private Typed arithmetic(ArithmeticOp op, RexCall call) {
        Typed left = typed(call.getOperands().get(0));
        Typed right = typed(call.getOperands().get(1));
        if (SqlTypeUtil.isApproximateNumeric(call.getType()) && (left.type() == DataType.DECIMAL
                || right.type() == DataType.DECIMAL)) {
            // A DOUBLE result of decimals (a quotient) is computed in doubles, not rounded to a decimal scale first.
            left = toDouble(left);
            right = toDouble(right);
        }
        DataType result;
        if (isFloating(left.type()) || isFloating(right.type())) {
            result = DataType.FLOAT64;
        } else if (left.type() == DataType.DECIMAL || right.type() == DataType.DECIMAL) {
            result = DataType.DECIMAL;
        } else if (op == ArithmeticOp.DIVIDE) {
            result = DataType.FLOAT64;
        } else if (left.type() == DataType.INT32 && right.type() == DataType.INT32) {
            result = DataType.INT32;
        } else {
            result = DataType.INT64;
        }
        return conform(new Typed(new Expr.Arithmetic(op, left.expr(), right.expr()), result), call);
    }

    private static Typed toDouble(Typed t) {
        return t.type() == DataType.FLOAT64 ? t : new Typed(t.expr().cast(DataType.FLOAT64), DataType.FLOAT64);
    }

    private static boolean isFloating(DataType t) {
        return t == null || t.isFloating();
    }

    /**
     * {@code value} cast to the SQL type of {@code call} when Weft computed another type. A decimal stays at the
     * precision and scale Weft computed (exact, by SQL's rules), not narrowed to Calcite's.
     */
    Typed conform(Typed value, RexCall call) {
        DataType wanted = SqlTypes.weftType(call.getType(), call.toString());
        return value.type() == wanted ? value
                : new Typed(SqlTypes.cast(value.expr(), call.getType(), call.toString()), wanted);
    }

    private Typed cast(Typed value, RelDataType to, RexCall call) {
        DataType wanted = SqlTypes.weftType(to, call.toString());
        if (value.type() == wanted && wanted != DataType.DECIMAL) {
            return value;
        }
        return new Typed(SqlTypes.cast(value.expr(), to, call.toString()), wanted);
    }
}
