package dev.weft.data;

import java.time.Duration;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The node types of {@link Expr}'s functions (dates, conditionals, strings, regular expressions, math), public so
 * that a planner or a {@link Datasource} can inspect them. Built through {@link Expr}'s methods; immutable,
 * serializable, compared by value.
 */
public final class ExprNodes {
    private ExprNodes() {
    }

    static Expr wrap(Object value) {
        return value instanceof Expr e ? e : new Expr.Literal(Expr.Literal.normalize(value));
    }

    /** A field of a date or timestamp (UTC), INT32. */
    public record DatePart(Part part, Expr operand) implements Expr {
        public enum Part { YEAR, QUARTER, MONTH, DAY, DAY_OF_WEEK, DAY_OF_YEAR, HOUR, MINUTE, SECOND }

        public DatePart {
            Objects.requireNonNull(part, "part");
            Objects.requireNonNull(operand, "operand");
        }

        @Override
        public List<Expr> children() {
            return List.of(operand);
        }

        @Override
        public String toString() {
            return part.name().toLowerCase(Locale.ROOT) + "(" + operand + ")";
        }
    }

    /** A date or timestamp truncated to a unit; same type as the operand. */
    public record DateTrunc(Unit unit, Expr operand) implements Expr {
        public enum Unit {
            YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND;

            /** The unit named {@code name} (any case), failing with the names that exist. */
            public static Unit parse(String name) {
                Objects.requireNonNull(name, "unit");
                try {
                    return valueOf(name.trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("dateTrunc unit '" + name + "' is not one of "
                            + List.of(values()).stream().map(u -> u.name().toLowerCase(Locale.ROOT)).toList(), e);
                }
            }
        }

        public DateTrunc {
            Objects.requireNonNull(unit, "unit");
            Objects.requireNonNull(operand, "operand");
        }

        @Override
        public List<Expr> children() {
            return List.of(operand);
        }

        @Override
        public String toString() {
            return "dateTrunc('" + unit.name().toLowerCase(Locale.ROOT) + "', " + operand + ")";
        }
    }

    /** Whole days from {@code start} to {@code end} (dates, or timestamps taken at their UTC day), INT32. */
    public record DateDiff(Expr end, Expr start) implements Expr {
        public DateDiff {
            Objects.requireNonNull(end, "end");
            Objects.requireNonNull(start, "start");
        }

        @Override
        public List<Expr> children() {
            return List.of(end, start);
        }

        @Override
        public String toString() {
            return "dateDiff(" + end + ", " + start + ")";
        }
    }

    /** A date or timestamp plus an integer number of days; same type as the operand. */
    public record DateAdd(Expr operand, Expr days) implements Expr {
        public DateAdd {
            Objects.requireNonNull(operand, "operand");
            Objects.requireNonNull(days, "days");
        }

        @Override
        public List<Expr> children() {
            return List.of(operand, days);
        }

        @Override
        public String toString() {
            return "dateAdd(" + operand + ", " + days + ")";
        }
    }

    /**
     * A date or timestamp plus an interval of calendar months, days and microseconds (months first, then days, then
     * time, as SQL does). A date stays a date unless the interval has a time part.
     */
    public record AddInterval(Expr operand, int months, int days, long micros) implements Expr {
        public AddInterval {
            Objects.requireNonNull(operand, "operand");
        }

        static AddInterval of(Expr operand, Object interval, boolean negate) {
            int sign = negate ? -1 : 1;
            return switch (interval) {
                case Period p -> new AddInterval(operand, sign * Math.toIntExact(p.toTotalMonths()), sign * p.getDays(), 0);
                case Duration d -> new AddInterval(operand, 0, 0,
                        sign * Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1000));
                default -> throw new IllegalArgumentException("not an interval: " + interval);
            };
        }

        @Override
        public List<Expr> children() {
            return List.of(operand);
        }

        @Override
        public String toString() {
            return "(" + operand + " + interval(" + months + " months, " + days + " days, " + micros + " us))";
        }
    }

    /**
     * {@code CASE WHEN c1 THEN v1 WHEN c2 THEN v2 ... ELSE otherwise END}: the value of the first true condition; a
     * null condition counts as false; without {@code otherwise}, null. Values share one type (numbers widen).
     */
    public record When(List<Expr> conditions, List<Expr> values, Expr otherwise) implements Expr {
        public When {
            conditions = List.copyOf(conditions);
            values = List.copyOf(values);
            if (conditions.isEmpty() || conditions.size() != values.size()) {
                throw new IllegalArgumentException("when needs one value per condition, got " + conditions.size()
                        + " conditions and " + values.size() + " values");
            }
        }

        /** This with one more branch. */
        public When when(Expr condition, Object value) {
            List<Expr> c = new ArrayList<>(conditions);
            List<Expr> v = new ArrayList<>(values);
            c.add(Objects.requireNonNull(condition, "condition"));
            v.add(wrap(value));
            return new When(c, v, otherwise);
        }

        /** This with the value for rows where no condition holds. */
        public When otherwise(Object value) {
            return new When(conditions, values, wrap(value));
        }

        @Override
        public List<Expr> children() {
            List<Expr> out = new ArrayList<>();
            for (int i = 0; i < conditions.size(); i++) {
                out.add(conditions.get(i));
                out.add(values.get(i));
            }
            if (otherwise != null) {
                out.add(otherwise);
            }
            return out;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("case");
            for (int i = 0; i < conditions.size(); i++) {
                sb.append(" when ").append(conditions.get(i)).append(" then ").append(values.get(i));
            }
            if (otherwise != null) {
                sb.append(" else ").append(otherwise);
            }
            return sb.append(" end").toString();
        }
    }

    /** The first non-null operand. */
    public record Coalesce(List<Expr> operands) implements Expr {
        public Coalesce {
            operands = List.copyOf(operands);
            if (operands.isEmpty()) {
                throw new IllegalArgumentException("coalesce needs at least one operand");
            }
        }

        @Override
        public List<Expr> children() {
            return operands;
        }

        @Override
        public String toString() {
            return "coalesce(" + operands.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
        }
    }

    /** The operands converted to strings and joined; null when any is null. */
    public record Concat(List<Expr> operands) implements Expr {
        public Concat {
            operands = List.copyOf(operands);
            if (operands.isEmpty()) {
                throw new IllegalArgumentException("concat needs at least one operand");
            }
        }

        @Override
        public List<Expr> children() {
            return operands;
        }

        @Override
        public String toString() {
            return "concat(" + operands.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
        }
    }

    /**
     * A regular-expression function over a string: LIKE and RLIKE give booleans, EXTRACT group {@code group} of the
     * first match (empty when none), REPLACE every match replaced. {@code pattern} is a Java regular expression
     * (LIKE patterns are translated when built); it is checked when the node is made.
     */
    public record Regex(Kind kind, Expr operand, String pattern, String replacement, int group) implements Expr {
        public enum Kind { LIKE, RLIKE, EXTRACT, REPLACE }

        public Regex {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(operand, "operand");
            Objects.requireNonNull(pattern, "pattern");
            int groups = Pattern.compile(pattern).matcher("").groupCount();
            if (kind == Kind.EXTRACT && (group < 0 || group > groups)) {
                throw new IllegalArgumentException("regexpExtract group " + group + " does not exist in '" + pattern
                        + "', which has " + groups + " groups");
            }
            if (kind == Kind.REPLACE) {
                Objects.requireNonNull(replacement, "replacement");
            }
        }

        static Regex like(Expr operand, String like) {
            Objects.requireNonNull(like, "pattern");
            StringBuilder re = new StringBuilder();
            StringBuilder literal = new StringBuilder();
            for (int i = 0; i < like.length(); i++) {
                char c = like.charAt(i);
                if (c == '\\' && i + 1 < like.length()) {
                    literal.append(like.charAt(++i));
                } else if (c == '%' || c == '_') {
                    if (!literal.isEmpty()) {
                        re.append(Pattern.quote(literal.toString()));
                        literal.setLength(0);
                    }
                    re.append(c == '%' ? ".*" : ".");
                } else {
                    literal.append(c);
                }
            }
            if (!literal.isEmpty()) {
                re.append(Pattern.quote(literal.toString()));
            }
            return new Regex(Kind.LIKE, operand, "(?s)" + re, like, 0);
        }

        @Override
        public List<Expr> children() {
            return List.of(operand);
        }

        @Override
        public String toString() {
            return switch (kind) {
                case LIKE -> "(" + operand + " like '" + replacement + "')";
                case RLIKE -> "(" + operand + " rlike '" + pattern + "')";
                case EXTRACT -> "regexpExtract(" + operand + ", '" + pattern + "', " + group + ")";
                case REPLACE -> "regexpReplace(" + operand + ", '" + pattern + "', '" + replacement + "')";
            };
        }
    }

    /** Whether the operand equals one of {@code values} (constants of {@link Expr#lit}'s types). */
    public record In(Expr operand, List<Object> values) implements Expr {
        public In {
            Objects.requireNonNull(operand, "operand");
            values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
            values.forEach(Expr.Literal::new); // checks each type
        }

        @Override
        public List<Expr> children() {
            return List.of(operand);
        }

        @Override
        public String toString() {
            return "(" + operand + " in (" + values.stream().map(v -> new Expr.Literal(v).toString())
                    .collect(Collectors.joining(", ")) + "))";
        }
    }

    /** A numeric function: ABS, ROUND (argument: the scale), POW (argument: the exponent), SQRT, FLOOR, CEIL. */
    public record MathFunction(Kind kind, Expr operand, Expr argument) implements Expr {
        public enum Kind { ABS, ROUND, POW, SQRT, FLOOR, CEIL }

        public MathFunction {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(operand, "operand");
            if ((kind == Kind.ROUND || kind == Kind.POW) && argument == null) {
                throw new IllegalArgumentException(kind + " needs an argument");
            }
            if (kind == Kind.ROUND && !(argument instanceof Expr.Literal l && l.value() instanceof Integer)) {
                throw new IllegalArgumentException("round's scale must be an integer constant, got " + argument);
            }
        }

        @Override
        public List<Expr> children() {
            return argument == null || kind == Kind.ROUND ? List.of(operand) : List.of(operand, argument);
        }

        @Override
        public String toString() {
            return kind.name().toLowerCase(Locale.ROOT) + "(" + operand + (argument == null ? "" : ", " + argument) + ")";
        }
    }

    /** {@code left <=> right}: equality where two nulls are equal; never null. */
    public record NullSafeEq(Expr left, Expr right) implements Expr {
        public NullSafeEq {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }

        @Override
        public List<Expr> children() {
            return List.of(left, right);
        }

        @Override
        public String toString() {
            return "(" + left + " <=> " + right + ")";
        }
    }
}
