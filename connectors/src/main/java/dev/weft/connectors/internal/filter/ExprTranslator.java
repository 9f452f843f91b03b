package dev.weft.connectors.internal.filter;

import dev.weft.data.CompareOp;
import dev.weft.data.Expr;
import java.util.List;

/** Translates a datasets {@link Expr} predicate into the connectors' {@link Pred}; what it cannot read becomes {@link Pred.Opaque}. */
public final class ExprTranslator {
    private ExprTranslator() {}

    public static Pred translate(Expr e) {
        return switch (e) {
            case Expr.And a -> new Pred.And(List.of(translate(a.left()), translate(a.right())));
            case Expr.Or o -> new Pred.Or(List.of(translate(o.left()), translate(o.right())));
            case Expr.Not n -> new Pred.Not(translate(n.operand()));
            case Expr.IsNull n when n.operand() instanceof Expr.Column c -> new Pred.IsNull(c.name());
            case Expr.Compare c when c.left() instanceof Expr.Column col && c.right() instanceof Expr.Literal lit
                    && lit.value() != null -> new Pred.Compare(col.name(), op(c.op()), lit.value());
            case Expr.Compare c when c.right() instanceof Expr.Column col && c.left() instanceof Expr.Literal lit
                    && lit.value() != null -> new Pred.Compare(col.name(), op(c.op().flip()), lit.value());
            default -> new Pred.Opaque(e.toString());
        };
    }

    private static Pred.Op op(CompareOp op) {
        return switch (op) {
            case EQ -> Pred.Op.EQ;
            case NE -> Pred.Op.NE;
            case LT -> Pred.Op.LT;
            case LE -> Pred.Op.LE;
            case GT -> Pred.Op.GT;
            case GE -> Pred.Op.GE;
        };
    }
}
