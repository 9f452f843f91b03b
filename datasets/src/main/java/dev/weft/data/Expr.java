package dev.weft.data;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZonedDateTime;
import java.util.Arrays;
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
public sealed interface Expr extends Serializable permits Expr.Column, Expr.Literal, Expr.Compare, Expr.Arithmetic,
        Expr.And, Expr.Or, Expr.Not, Expr.IsNull, Expr.StringFunction, Expr.Cast, ExprNodes.DatePart,
        ExprNodes.DateTrunc, ExprNodes.DateDiff, ExprNodes.DateAdd, ExprNodes.AddInterval, ExprNodes.When,
        ExprNodes.Coalesce, ExprNodes.Concat, ExprNodes.Regex, ExprNodes.In, ExprNodes.MathFunction,
        ExprNodes.NullSafeEq {

    /** A reference to the column {@code name}. */
    static Expr col(String name) {
        return new Column(name);
    }

    /**
     * A constant: {@code Boolean}, {@code Integer}, {@code Long}, {@code Float}, {@code Double}, {@code String},
     * {@code BigDecimal}, {@code LocalDate}, {@code Instant}, {@code LocalDateTime} (UTC wall-clock time),
     * {@code OffsetDateTime} / {@code ZonedDateTime} (their instant) or null.
     */
    static Expr lit(Object value) {
        return new Literal(Literal.normalize(value));
    }

    /** {@code CASE WHEN condition THEN value}; add branches with {@link ExprNodes.When#when} and end with {@code otherwise}. */
    static ExprNodes.When when(Expr condition, Object value) {
        return new ExprNodes.When(List.of(condition), List.of(wrap(value)), null);
    }

    /** The first non-null operand, row by row (operands of one type, or numbers that widen to one). */
    static Expr coalesce(Object... operands) {
        return new ExprNodes.Coalesce(Arrays.stream(operands).map(Expr::wrap).toList());
    }

    /** The operands as strings, joined; null when any operand is null (as in Spark). */
    static Expr concat(Object... operands) {
        return new ExprNodes.Concat(Arrays.stream(operands).map(Expr::wrap).toList());
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

    /** {@code this + other}; a {@code Period} or {@code Duration} adds an interval to a date or timestamp. */
    default Expr plus(Object other) {
        if (other instanceof Period || other instanceof Duration) {
            return ExprNodes.AddInterval.of(this, other, false);
        }
        return new Arithmetic(ArithmeticOp.ADD, this, wrap(other));
    }

    /** {@code this - other}; a {@code Period} or {@code Duration} subtracts an interval from a date or timestamp. */
    default Expr minus(Object other) {
        if (other instanceof Period || other instanceof Duration) {
            return ExprNodes.AddInterval.of(this, other, true);
        }
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

    /** A cast to {@code DECIMAL(precision, scale)}; values round half up to the scale. */
    default Expr cast(int precision, int scale) {
        return new Cast(this, DataType.DECIMAL, precision, scale);
    }

    // ---- dates and timestamps ---------------------------------------------------------------------------

    /** The year of a date or timestamp (UTC), INT32. */
    default Expr year() {
        return new ExprNodes.DatePart(ExprNodes.DatePart.Part.YEAR, this);
    }

    default Expr quarter() {
        return new ExprNodes.DatePart(ExprNodes.DatePart.Part.QUARTER, this);
    }

    /** The month, 1 to 12. */
    default Expr month() {
        return new ExprNodes.DatePart(ExprNodes.DatePart.Part.MONTH, this);
    }

    /** The day of the month, 1 to 31. */
    default Expr day() {
        return new ExprNodes.DatePart(ExprNodes.DatePart.Part.DAY, this);
    }

    /** The day of the week, 1 (Sunday) to 7 (Saturday), as in Spark. */
    default Expr dayOfWeek() {
        return new ExprNodes.DatePart(ExprNodes.DatePart.Part.DAY_OF_WEEK, this);
    }

    default Expr dayOfYear() {
        return new ExprNodes.DatePart(ExprNodes.DatePart.Part.DAY_OF_YEAR, this);
    }

    default Expr hour() {
        return new ExprNodes.DatePart(ExprNodes.DatePart.Part.HOUR, this);
    }

    default Expr minute() {
        return new ExprNodes.DatePart(ExprNodes.DatePart.Part.MINUTE, this);
    }

    default Expr second() {
        return new ExprNodes.DatePart(ExprNodes.DatePart.Part.SECOND, this);
    }

    /**
     * The date or timestamp truncated to {@code unit}: {@code year}, {@code quarter}, {@code month}, {@code week}
     * (to Monday), {@code day}, {@code hour}, {@code minute} or {@code second}; keeps the operand's type.
     */
    default Expr dateTrunc(String unit) {
        return new ExprNodes.DateTrunc(ExprNodes.DateTrunc.Unit.parse(unit), this);
    }

    /** Days from {@code start} to this date ({@code datediff(this, start)} in Spark), INT32. */
    default Expr dateDiff(Object start) {
        return new ExprNodes.DateDiff(this, wrap(start));
    }

    /** This date (or timestamp) plus {@code days} (an integer or an integer column); negative goes back. */
    default Expr dateAdd(Object days) {
        return new ExprNodes.DateAdd(this, wrap(days));
    }

    /** This date or timestamp plus {@code months} calendar months (the day clamps to the month's end). */
    default Expr addMonths(int months) {
        return new ExprNodes.AddInterval(this, months, 0, 0);
    }

    // ---- everyday functions -----------------------------------------------------------------------------

    /** Leading and trailing white space removed. */
    default Expr trim() {
        return new StringFunction(StringFunction.Kind.TRIM, this, 0, 0);
    }

    default Expr ltrim() {
        return new StringFunction(StringFunction.Kind.LTRIM, this, 0, 0);
    }

    default Expr rtrim() {
        return new StringFunction(StringFunction.Kind.RTRIM, this, 0, 0);
    }

    /** Up to {@code length} characters from the 1-based position {@code pos} (Spark's {@code substring}). */
    default Expr substring(int pos, int length) {
        if (pos < 1) {
            throw new IllegalArgumentException("substring position is 1-based and must be >= 1, got " + pos);
        }
        return substr(pos - 1, length);
    }

    /** SQL {@code LIKE}: {@code %} any characters, {@code _} one character, {@code \} escapes. */
    default Expr like(String pattern) {
        return ExprNodes.Regex.like(this, pattern);
    }

    /** Whether a match of the Java regular expression {@code regex} is found in the string. */
    default Expr rlike(String regex) {
        return new ExprNodes.Regex(ExprNodes.Regex.Kind.RLIKE, this, regex, null, 0);
    }

    /** Group {@code group} of the first match of {@code regex}; an empty string when none matches (as in Spark). */
    default Expr regexpExtract(String regex, int group) {
        return new ExprNodes.Regex(ExprNodes.Regex.Kind.EXTRACT, this, regex, null, group);
    }

    /** Every match of {@code regex} replaced by {@code replacement} ({@code $1} refers to groups). */
    default Expr regexpReplace(String regex, String replacement) {
        return new ExprNodes.Regex(ExprNodes.Regex.Kind.REPLACE, this, regex, replacement, 0);
    }

    /** Whether the value is one of {@code values} (constants); SQL nulls: null when the value is null. */
    default Expr in(Object... values) {
        return new ExprNodes.In(this, Arrays.stream(values).map(Literal::normalize).toList());
    }

    /** {@code low <= this <= high}. */
    default Expr between(Object low, Object high) {
        return ge(low).and(le(high));
    }

    /** Rounded half up to {@code scale} decimal places (negative rounds to tens, hundreds, ...). */
    default Expr round(int scale) {
        return new ExprNodes.MathFunction(ExprNodes.MathFunction.Kind.ROUND, this, new Literal(scale));
    }

    default Expr round() {
        return round(0);
    }

    default Expr abs() {
        return new ExprNodes.MathFunction(ExprNodes.MathFunction.Kind.ABS, this, null);
    }

    /** {@code this} raised to {@code exponent}, FLOAT64. */
    default Expr pow(Object exponent) {
        return new ExprNodes.MathFunction(ExprNodes.MathFunction.Kind.POW, this, wrap(exponent));
    }

    default Expr sqrt() {
        return new ExprNodes.MathFunction(ExprNodes.MathFunction.Kind.SQRT, this, null);
    }

    default Expr floor() {
        return new ExprNodes.MathFunction(ExprNodes.MathFunction.Kind.FLOOR, this, null);
    }

    default Expr ceil() {
        return new ExprNodes.MathFunction(ExprNodes.MathFunction.Kind.CEIL, this, null);
    }

    /** Null-safe equality ({@code <=>}): true when both are null, false when one is; never null. */
    default Expr eqNullSafe(Object other) {
        return new ExprNodes.NullSafeEq(this, wrap(other));
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
        return value instanceof Expr e ? e : new Literal(Literal.normalize(value));
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
                    || value instanceof Float || value instanceof Double || value instanceof String
                    || value instanceof BigDecimal || value instanceof LocalDate || value instanceof Instant
                    || value instanceof LocalDateTime)) {
                throw new IllegalArgumentException("literal must be a Boolean, Integer, Long, Float, Double, String, "
                        + "BigDecimal, LocalDate, Instant, LocalDateTime or null, got " + value.getClass().getName());
            }
        }

        /** Zoned date-times become their instant, shorts and bytes integers, BigIntegers decimals. */
        static Object normalize(Object value) {
            return switch (value) {
                case OffsetDateTime t -> t.toInstant();
                case ZonedDateTime t -> t.toInstant();
                case Short x -> (int) x;
                case Byte x -> (int) x;
                case java.math.BigInteger x -> new BigDecimal(x);
                case null, default -> value;
            };
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
                case BigDecimal d -> DataType.DECIMAL;
                case LocalDate d -> DataType.DATE;
                case Instant t -> DataType.TIMESTAMP;
                case LocalDateTime t -> DataType.TIMESTAMP;
                default -> throw new IllegalStateException("unreachable: " + value.getClass());
            };
        }

        @Override
        public List<Expr> children() {
            return List.of();
        }

        @Override
        public String toString() {
            return switch (value) {
                case String s -> "'" + s.replace("'", "''") + "'";
                case LocalDate d -> "DATE '" + d + "'";
                case Instant t -> "TIMESTAMP '" + t + "'";
                case LocalDateTime t -> "TIMESTAMP '" + t + "'";
                case BigDecimal d -> d.toPlainString() + "BD";
                case null, default -> String.valueOf(value);
            };
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
        public enum Kind { UPPER, LOWER, LENGTH, SUBSTR, TRIM, LTRIM, RTRIM }

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

    /**
     * Converts to {@code type}; strings parse (a bad value is an error naming it), numbers narrow like Java casts,
     * dates and timestamps convert at UTC. {@code precision} and {@code scale} are used by DECIMAL only.
     */
    record Cast(Expr operand, DataType type, int precision, int scale) implements Expr {
        public Cast {
            Objects.requireNonNull(operand, "operand");
            Objects.requireNonNull(type, "type");
            if (type == DataType.DECIMAL && (precision < 1 || precision > 38 || scale < 0 || scale > precision)) {
                throw new IllegalArgumentException("decimal precision must be 1..38 and scale 0..precision, got ("
                        + precision + ", " + scale + ")");
            }
        }

        /** A cast to {@code type}; DECIMAL means {@code DECIMAL(38, 18)}. */
        public Cast(Expr operand, DataType type) {
            this(operand, type, type == DataType.DECIMAL ? 38 : 0, type == DataType.DECIMAL ? 18 : 0);
        }

        @Override
        public List<Expr> children() {
            return List.of(operand);
        }

        @Override
        public String toString() {
            return "cast(" + operand + " as " + type
                    + (type == DataType.DECIMAL ? "(" + precision + ", " + scale + ")" : "") + ")";
        }
    }
}
