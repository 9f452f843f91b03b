package dev.weft.sql.internal.plan;

import dev.weft.data.DataType;
import dev.weft.sql.SqlException;

/** The values of {@code ?} parameters as the types the statement needs them. */
final class Parameters {
    private Parameters() {
    }

    static Object convert(Object value, DataType type, int index) {
        if (value == null) {
            return null;
        }
        try {
            return switch (type) {
                case BOOLEAN -> value instanceof Boolean b ? b : Boolean.valueOf(parseBoolean(value.toString()));
                case INT32 -> value instanceof Number n ? Math.toIntExact(exact(n)) : Integer.parseInt(value.toString().trim());
                case INT64 -> value instanceof Number n ? exact(n) : Long.parseLong(value.toString().trim());
                case FLOAT32 -> value instanceof Number n ? n.floatValue() : Float.parseFloat(value.toString().trim());
                case FLOAT64 -> value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().trim());
                case STRING -> value.toString();
                case DATE -> value instanceof java.time.LocalDate d ? d
                        : value instanceof java.sql.Date d ? d.toLocalDate() : java.time.LocalDate.parse(value.toString().trim());
                case TIMESTAMP -> value instanceof java.time.Instant t ? t
                        : value instanceof java.sql.Timestamp t ? t.toInstant() : java.time.Instant.parse(value.toString().trim());
                case DECIMAL -> value instanceof java.math.BigDecimal b ? b : new java.math.BigDecimal(value.toString().trim());
            };
        } catch (RuntimeException e) {
            throw new SqlException("parameter " + (index + 1) + ": cannot use " + value + " (" + value.getClass().getSimpleName()
                    + ") as " + type + ": " + e.getMessage(), 0, 0, e);
        }
    }

    private static long exact(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (d != Math.rint(d)) {
                throw new ArithmeticException("not an integer");
            }
            return (long) d;
        }
        if (n instanceof java.math.BigDecimal b) {
            return b.longValueExact();
        }
        return n.longValue();
    }

    private static boolean parseBoolean(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("not a boolean");
        };
    }
}
