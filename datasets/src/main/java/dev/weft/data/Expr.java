package dev.weft.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A column expression: {@code col("x").lt(0.5).and(col("name").upper().eq(lit("A")))}. Immutable,
 * serializable, compared by value; evaluated column-at-a-time over Arrow vectors by the datasets engine.
 *
 * <p>The node types are public records so that {@link Datasource}s can inspect a pushed-down filter: a
 * Parquet source looks for {@link Compare} nodes between a {@link Column} and a {@link Literal} and
 * checks them against row-group statistics. {@link #conjuncts()} splits a filter at its top-level ANDs.
 *
 * <p>Null semantics follow SQL: arithmetic and comparisons with a null operand are null; a filter keeps a
 * row only when its predicate is true (not null); {@code and}/{@code or} use three-valued logic.
 */
public sealed interface Expr extends Serializable {

    /** A reference to the column {@code name}. */
    static Expr col(String name) {
        return new Column(name);
    }

    /** A constant: {@code Boolean}, {@code Integer}, {@code Long}, {@code Float}, {@code Double}, {@code String} or null. */
    static Expr lit(Object value) {
        return new Literal(value);
    }

    /** The conjunction of {@code predicates}; one predicate is returned as is. */
    static Expr and(List<Expr> predicates) {
        if (predicates.isEmpty()) {
            throw new IllegalArgumentException("and() needs at least one predicate");
        }
        Expr result = predicates.getFirst();
        for (int i = 1; i < predicates.size(); i++) {
            result = new And(result, predicates.get(i));
        }
        return result;
    }

    // ---- building -------------------------------------------------------------------------------------

    default Expr eq(Object other) {
        return new Compare(CompareOp.EQ, this, wrap(other));
    }

    default Expr ne(Object other) {
        return new Compare(CompareOp.NE, this, wrap(other));
    }

    default Expr lt(Object other) {
        return new Compare(CompareOp.LT, this, wrap(other));
    }

    default Expr le(Object other) {
        return new Compare(CompareOp.LE, this, wrap(other));
    }

    default Expr gt(Object other) {
        return new Compare(CompareOp.GT, this, wrap(other));
    }

    default Expr ge(Object other) {
        return new Compare(CompareOp.GE, this, wrap(other));
    }

    default Expr plus(Object other) {
        return new Arithmetic(ArithmeticOp.ADD, this, wrap(other));
    }

    default Expr minus(Object other) {
        return new Arithmetic(ArithmeticOp.SUBTRACT, this, wrap(other));
    }

    default Expr times(Object other) {
        return new Arithmetic(ArithmeticOp.MULTIPLY, this, wrap(other));
    }

    default Expr div(Object other) {
        return new Arithmetic(ArithmeticOp.DIVIDE, this, wrap(other));
    }

    default Expr mod(Object other) {
        return new Arithmetic(ArithmeticOp.MODULO, this, wrap(other));
    }

    default Expr and(Expr other) {
        return new And(this, other);
    }

    default Expr or(Expr other) {
        return new Or(this, other);
    }

    default Expr not() {
        return new Not(this);
    }

    default Expr isNull() {
        return new IsNull(this);
    }

    default Expr isNotNull() {
        return new Not(new IsNull(this));
    }

    default Expr upper() {
        return new StringFunction(StringFunction.Kind.UPPER, this, 0, 0);
    }

    default Expr lower() {
        return new StringFunction(StringFunction.Kind.LOWER, this, 0, 0);
    }

    /** The number of characters (code points) of a string. */
    default Expr length() {
        return new StringFunction(StringFunction.Kind.LENGTH, this, 0, 0);
    }

    /** Up to {@code length} characters starting at the 0-based character {@code start}. */
    default Expr substr(int start, int length) {
        if (start < 0 || length < 0) {
            throw new IllegalArgumentException("substr start and length must be >= 0, got " + start + ", " + length);
        }
        return new StringFunction(StringFunction.Kind.SUBSTR, this, start, length);
    }

    default Expr cast(DataType type) {
        return new Cast(this, type);
    }

    // ---- inspecting -----------------------------------------------------------------------------------

    /** The direct children of this node. */
    List<Expr> children();

    /** Every column this expression reads, in first-use order. */
    default Set<String> columns() {
        Set<String> out = new LinkedHashSet<>();
        collectColumns(this, out);
        return out;
    }

    /** This predicate split at its top-level ANDs: {@code a and (b and c)} gives {@code [a, b, c]}. */
    default List<Expr> conjuncts() {
        List<Expr> out = new ArrayList<>();
        collectConjuncts(this, out);
        return out;
    }

    private static void collectColumns(Expr e, Set<String> out) {
        if (e instanceof Column c) {
            out.add(c.name());
        }
        for (Expr child : e.children()) {
            collectColumns(child, out);
        }
    }

    private static void collectConjuncts(Expr e, List<Expr> out) {
        if (e instanceof And(Expr left, Expr right)) {
            collectConjuncts(left, out);
            collectConjuncts(right, out);
        } else {
            out.add(e);
        }
    }

    private static Expr wrap(Object value) {
        return value instanceof Expr e ? e : new Literal(value);
    }

    // ---- node types -----------------------------------------------------------------------------------

    /** A column reference. */
    record Column(String name) implements Expr {
        public Column {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("column name must not be blank");
            }
        }

        @Override
        public List<Expr> children() {
            return List.of();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A constant of one of the types {@link Expr#lit} accepts. */
    record Literal(Object value) implements Expr {
        public Literal {
            if (value != null && !(value instanceof Boolean || value instanceof Integer || value instanceof Long
                    || value instanceof Float || value instanceof Double || value instanceof String)) {
                throw new IllegalArgumentException("literal must be a Boolean, Integer, Long, Float, Double, String or null, got "
                        + value.getClass().getName());
            }
        }

        /** The literal's type, or {@code null} for the null literal. */
        public DataType type() {
            return switch (value) {
                case null -> null;
                case Boolean b -> DataType.BOOLEAN;
                case Integer i -> DataType.INT32;
                case Long l -> DataType.INT64;
                case Float f -> DataType.FLOAT32;
                case Double d -> DataType.FLOAT64;
                case String s -> DataType.STRING;
                default -> throw new IllegalStateException("unreachable: " + value.getClass());
            };
        }

        @Override
        public List<Expr> children() {
            return List.of();
        }

        @Override
        public String toString() {
            return value instanceof String s ? "'" + s.replace("'", "''") + "'" : String.valueOf(value);
        }
    }

    /** {@code left op right}; a boolean column. */
    record Compare(CompareOp op, Expr left, Expr right) implements Expr {
        public Compare {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }

        @Override
        public List<Expr> children() {
            return List.of(left, right);
        }

        @Override
        public String toString() {
            return "(" + left + " " + op.symbol() + " " + right + ")";
        }
    }

    /** {@code left op right} over numbers; integer operands give INT64 (INT32 when both are INT32), else FLOAT64. */
    record Arithmetic(ArithmeticOp op, Expr left, Expr right) implements Expr {
        public Arithmetic {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }

        @Override
        public List<Expr> children() {
            return List.of(left, right);
        }

        @Override
        public String toString() {
            return "(" + left + " " + op.symbol() + " " + right + ")";
        }
    }

    record And(Expr left, Expr right) implements Expr {
        public And {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }

        @Override
        public List<Expr> children() {
            return List.of(left, right);
        }

        @Override
        public String toString() {
            return "(" + left + " and " + right + ")";
        }
    }

    record Or(Expr left, Expr right) implements Expr {
        public Or {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }

        @Override
        public List<Expr> children() {
            return List.of(left, right);
        }

        @Override
        public String toString() {
            return "(" + left + " or " + right + ")";
        }
    }

    record Not(Expr operand) implements Expr {
        public Not {
            Objects.requireNonNull(operand, "operand");
        }

        @Override
        public List<Expr> children() {
            return List.of(operand);
        }

        @Override
        public String toString() {
            return "not(" + operand + ")";
        }
    }

    /** True where the operand is null; never null itself. */
    record IsNull(Expr operand) implements Expr {
        public IsNull {
            Objects.requireNonNull(operand, "operand");
        }

        @Override
        public List<Expr> children() {
            return List.of(operand);
        }

        @Override
        public String toString() {
            return "isNull(" + operand + ")";
        }
    }

    /** A string function; {@code start}/{@code count} (characters) are used by SUBSTR only. */
    record StringFunction(Kind kind, Expr operand, int start, int count) implements Expr {
        public enum Kind { UPPER, LOWER, LENGTH, SUBSTR }

        public StringFunction {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(operand, "operand");
        }

        @Override
        public List<Expr> children() {
            return List.of(operand);
        }

        @Override
        public String toString() {
            return kind == Kind.SUBSTR ? "substr(" + operand + ", " + start + ", " + count + ")"
                    : kind.name().toLowerCase(java.util.Locale.ROOT) + "(" + operand + ")";
        }
    }

    /** Converts to {@code type}; strings parse (a bad number is an error naming the value), numbers narrow like Java casts. */
    record Cast(Expr operand, DataType type) implements Expr {
        public Cast {
            Objects.requireNonNull(operand, "operand");
            Objects.requireNonNull(type, "type");
        }

        @Override
        public List<Expr> children() {
            return List.of(operand);
        }

        @Override
        public String toString() {
            return "cast(" + operand + " as " + type + ")";
        }
    }
}
