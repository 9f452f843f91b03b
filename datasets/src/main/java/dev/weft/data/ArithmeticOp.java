package dev.weft.data;

/** An arithmetic operator in a {@link Expr.Arithmetic}. Division always yields a double. */
public enum ArithmeticOp {
    ADD("+"), SUBTRACT("-"), MULTIPLY("*"), DIVIDE("/"), MODULO("%");

    private final String symbol;

    ArithmeticOp(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
