package dev.weft.sql.internal.plan;

import dev.weft.data.ArithmeticOp;
import dev.weft.data.CompareOp;
import dev.weft.data.DataType;
import dev.weft.data.Expr;
import dev.weft.sql.SqlException;
import dev.weft.sql.internal.catalog.SqlTypes;
import java.math.BigDecimal;
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
        if (type.getSqlTypeName() == SqlTypeName.DECIMAL) {
            throw SqlException.notSupported("DECIMAL columns in expressions (column '" + columns.get(ref.getIndex())
                    + "'); datasets has no DECIMAL type");
        }
        return new Typed(Expr.col(columns.get(ref.getIndex())), SqlTypes.weftType(type, columns.get(ref.getIndex())));
    }

    private Typed literal(RexLiteral literal) {
        RelDataType type = literal.getType();
        if (literal.isNull()) {
            if (type.getSqlTypeName() == SqlTypeName.NULL) {
                return new Typed(Expr.lit(null), null);
            }
            DataType t = SqlTypes.weftType(type, literal.toString());
            return new Typed(Expr.lit(null).cast(t), t);
        }
        return switch (type.getSqlTypeName()) {
            case BOOLEAN -> new Typed(Expr.lit(literal.getValueAs(Boolean.class)), DataType.BOOLEAN);
            case TINYINT, SMALLINT, INTEGER -> new Typed(Expr.lit(literal.getValueAs(Integer.class)), DataType.INT32);
            case BIGINT -> new Typed(Expr.lit(literal.getValueAs(Long.class)), DataType.INT64);
            case DECIMAL, DOUBLE, FLOAT -> new Typed(Expr.lit(literal.getValueAs(BigDecimal.class).doubleValue()),
                    DataType.FLOAT64);
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
                return arithmetic(ArithmeticOp.ADD, call);
            case MINUS:
                return arithmetic(ArithmeticOp.SUBTRACT, call);
            case TIMES:
                return arithmetic(ArithmeticOp.MULTIPLY, call);
            case DIVIDE:
                return arithmetic(ArithmeticOp.DIVIDE, call);
            case MOD:
                return arithmetic(ArithmeticOp.MODULO, call);
            case MINUS_PREFIX: {
                Typed operand = typed(ops.getFirst());
                Expr zero = Expr.lit(operand.type() == DataType.INT32 ? (Object) 0 : operand.type() == DataType.INT64
                        ? (Object) 0L : (Object) 0.0);
                return conform(new Typed(zero.minus(operand.expr()), operand.type() == DataType.INT32 ? DataType.INT32
                        : operand.type() == DataType.INT64 ? DataType.INT64 : DataType.FLOAT64), call);
            }
            case PLUS_PREFIX:
                return typed(ops.getFirst());
            case CAST:
                return cast(typed(ops.getFirst()), call.getType(), call);
            case CASE:
                throw SqlException.notSupported("CASE expressions (also COALESCE and NULLIF, which are CASE): " + call);
            case LIKE:
                throw SqlException.notSupported("LIKE: " + call);
            default:
                return function(call);
        }
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
            default -> throw SqlException.notSupported("the function " + call.getOperator().getName() + " (in " + call
                    + "); datasets has no such expression yet");
        };
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
        DataType result;
        if (op == ArithmeticOp.DIVIDE || isFloating(left.type()) || isFloating(right.type())) {
            result = DataType.FLOAT64;
        } else if (left.type() == DataType.INT32 && right.type() == DataType.INT32) {
            result = DataType.INT32;
        } else {
            result = DataType.INT64;
        }
        return conform(new Typed(new Expr.Arithmetic(op, left.expr(), right.expr()), result), call);
    }

    private static boolean isFloating(DataType t) {
        return t == null || t.isFloating();
    }

    /** {@code value} cast to the SQL type of {@code call} when Weft computed another type. */
    private Typed conform(Typed value, RexCall call) {
        DataType wanted = SqlTypes.weftType(call.getType(), call.toString());
        return value.type() == wanted ? value : new Typed(value.expr().cast(wanted), wanted);
    }

    private Typed cast(Typed value, RelDataType to, RexCall call) {
        DataType wanted = SqlTypes.weftType(to, call.toString());
        return value.type() == wanted ? value : new Typed(value.expr().cast(wanted), wanted);
    }
}
