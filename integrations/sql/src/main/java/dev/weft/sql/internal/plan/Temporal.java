package dev.weft.sql.internal.plan;

import dev.weft.data.DataType;
import dev.weft.data.Expr;
import dev.weft.sql.SqlException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Period;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/** Date and timestamp calls of SQL as datasets' date expressions: {@code EXTRACT}, date ± constant interval. */
final class Temporal {
    private final RexToExpr rex;

    Temporal(RexToExpr rex) {
        this.rex = rex;
    }

    static boolean isInterval(RexNode node) {
        return SqlTypeUtil.isInterval(node.getType());
    }

    /** {@code EXTRACT(unit FROM value)}: Calcite's first operand is the unit, a flag literal. */
    RexToExpr.Typed extract(RexCall call) {
        TimeUnitRange unit = ((RexLiteral) call.getOperands().get(0)).getValueAs(TimeUnitRange.class);
        RexToExpr.Typed value = rex.typed(call.getOperands().get(1));
        if (value.type() != DataType.DATE && value.type() != DataType.TIMESTAMP) {
            throw SqlException.notSupported("EXTRACT from a value of type " + value.type() + " (" + call + ")");
        }
        Expr e = value.expr();
        Expr part = switch (unit) {
            case YEAR -> e.year();
            case QUARTER -> e.quarter();
            case MONTH -> e.month();
            case DAY -> e.day();
            case DOW -> e.dayOfWeek();
            case DOY -> e.dayOfYear();
            case HOUR -> e.hour();
            case MINUTE -> e.minute();
            case SECOND -> e.second();
            default -> throw SqlException.notSupported("EXTRACT(" + unit + " FROM ...) (" + call + ")");
        };
        return new RexToExpr.Typed(part, DataType.INT32);
    }

    /** A date or timestamp plus (or minus) a constant interval; the interval may be either operand of a plus. */
    RexToExpr.Typed plusInterval(RexCall call, boolean minus) {
        RexNode a = call.getOperands().get(0);
        RexNode b = call.getOperands().get(1);
        RexNode value = isInterval(a) ? b : a;
        RexNode interval = isInterval(a) ? a : b;
        if (isInterval(value)) {
            throw SqlException.notSupported("arithmetic of two intervals (" + call + ")");
        }
        if (!(interval instanceof RexLiteral literal) || literal.isNull()) {
            throw SqlException.notSupported("adding an interval that is not a constant (" + call + ")");
        }
        RexToExpr.Typed v = rex.typed(value);
        if (v.type() != DataType.DATE && v.type() != DataType.TIMESTAMP) {
            throw SqlException.notSupported("adding an interval to a value of type " + v.type() + " (" + call + ")");
        }
        BigDecimal amount = literal.getValueAs(BigDecimal.class);
        Object delta;
        if (SqlTypeName.YEAR_INTERVAL_TYPES.contains(literal.getType().getSqlTypeName())) {
            delta = Period.ofMonths(amount.intValueExact());
        } else {
            long millis = amount.longValueExact();
            delta = millis % 86_400_000L == 0 ? Period.ofDays(Math.toIntExact(millis / 86_400_000L))
                    : Duration.ofMillis(millis);
        }
        Expr e = minus ? v.expr().minus(delta) : v.expr().plus(delta);
        DataType result = v.type() == DataType.DATE && delta instanceof Period ? DataType.DATE : DataType.TIMESTAMP;
        return rex.conform(new RexToExpr.Typed(e, result), call);
    }
}
