package dev.weft.data;

/** A comparison in a {@link Expr.Compare}. Connectors map these onto row-group statistics. */
public enum CompareOp {
    EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

    private final String symbol;

    CompareOp(String symbol) {
        this.symbol = symbol;
    }

    /** The operator as written in {@code explain()} strings. */
    public String symbol() {
        return symbol;
    }

    /** The operator with its operands swapped: {@code a < b} is {@code b > a}. */
    public CompareOp flip() {
        return switch (this) {
            case EQ -> EQ;
            case NE -> NE;
            case LT -> GT;
            case LE -> GE;
            case GT -> LT;
            case GE -> LE;
        };
    }
}
