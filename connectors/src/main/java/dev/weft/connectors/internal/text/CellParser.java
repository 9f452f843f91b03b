package dev.weft.connectors.internal.text;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Parses text cells into one Arrow column type: integers, floats, booleans ({@code true}/{@code false}, any case),
 * strings, binary (the UTF-8 bytes), dates ({@code 2024-01-31}) and timestamps (ISO-8601, with or without an
 * offset; without one it is read as UTC). A value that does not parse throws {@link IllegalArgumentException}
 * saying what was expected; callers add file, line and column.
 */
@FunctionalInterface
public interface CellParser {
    void parse(FieldVector v, int row, String text);

    static CellParser forType(ArrowType t) {
        return switch (t) {
            case ArrowType.Int i -> switch (i.getBitWidth()) {
                case 8 -> (v, r, s) -> ((TinyIntVector) v).setSafe(r, (byte) checkRange(parseLong(s, "int8"), Byte.MIN_VALUE, Byte.MAX_VALUE, s));
                case 16 -> (v, r, s) -> ((SmallIntVector) v).setSafe(r, (short) checkRange(parseLong(s, "int16"), Short.MIN_VALUE, Short.MAX_VALUE, s));
                case 32 -> (v, r, s) -> ((IntVector) v).setSafe(r, (int) checkRange(parseLong(s, "int32"), Integer.MIN_VALUE, Integer.MAX_VALUE, s));
                default -> (v, r, s) -> ((BigIntVector) v).setSafe(r, parseLong(s, "int64"));
            };
            case ArrowType.FloatingPoint fp -> switch (fp.getPrecision()) {
                case SINGLE -> (v, r, s) -> ((Float4Vector) v).setSafe(r, (float) parseDouble(s, "float32"));
                default -> (v, r, s) -> ((Float8Vector) v).setSafe(r, parseDouble(s, "float64"));
            };
            case ArrowType.Bool b -> (v, r, s) -> ((BitVector) v).setSafe(r, parseBoolean(s) ? 1 : 0);
            case ArrowType.Utf8 u -> (v, r, s) -> ((VarCharVector) v).setSafe(r, s.getBytes(StandardCharsets.UTF_8));
            case ArrowType.Binary b -> (v, r, s) -> ((VarBinaryVector) v).setSafe(r, s.getBytes(StandardCharsets.UTF_8));
            case ArrowType.Date d when d.getUnit() == org.apache.arrow.vector.types.DateUnit.DAY ->
                    (v, r, s) -> ((DateDayVector) v).setSafe(r, (int) parseDate(s));
            case ArrowType.Timestamp ts -> (v, r, s) -> ((TimeStampVector) v).setSafe(r, parseTimestamp(s, ts.getUnit()));
            case ArrowType.List l -> (v, r, s) -> {
                throw new IllegalArgumentException("a list column cannot be read from the text '" + s + "'");
            };
            case ArrowType.Struct st -> (v, r, s) -> {
                throw new IllegalArgumentException("a struct column cannot be read from the text '" + s + "'");
            };
            case ArrowType.Decimal d when d.getBitWidth() == 128 ->
                    (v, r, s) -> ((org.apache.arrow.vector.DecimalVector) v).setSafe(r, parseDecimal(s, d));
            default -> throw new IllegalArgumentException("text formats cannot read columns of Arrow type " + t
                    + " (int, float, boolean, string, binary, date, timestamp and decimal are supported)");
        };
    }

    static long checkRange(long x, long min, long max, String s) {
        if (x < min || x > max) {
            throw new IllegalArgumentException("'" + s + "' is out of range [" + min + ", " + max + "]");
        }
        return x;
    }

    static long parseLong(String s, String type) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot parse '" + s + "' as " + type);
        }
    }

    static double parseDouble(String s, String type) {
        String t = s.trim();
        try {
            if (t.isEmpty() || Character.isLetter(t.charAt(t.length() - 1)) && !t.equalsIgnoreCase("nan")
                    && !t.endsWith("Infinity")) {
                throw new NumberFormatException();
            }
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot parse '" + s + "' as " + type);
        }
    }

    static boolean parseBoolean(String s) {
        String t = s.trim();
        if (t.equalsIgnoreCase("true")) {
            return true;
        }
        if (t.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("cannot parse '" + s + "' as boolean (true or false)");
    }

    /** A decimal rounded half up to the column's scale; fails when it has more integer digits than fit. */
    static java.math.BigDecimal parseDecimal(String s, ArrowType.Decimal type) {
        java.math.BigDecimal d;
        try {
            d = new java.math.BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot parse '" + s + "' as a decimal");
        }
        java.math.BigDecimal scaled = d.setScale(type.getScale(), java.math.RoundingMode.HALF_UP);
        if (scaled.precision() > type.getPrecision()) {
            throw new IllegalArgumentException("'" + s + "' does not fit DECIMAL(" + type.getPrecision() + ", "
                    + type.getScale() + ")");
        }
        return scaled;
    }

    static long parseDate(String s) {
        try {
            return LocalDate.parse(s.trim()).toEpochDay();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("cannot parse '" + s + "' as a date (yyyy-MM-dd)");
        }
    }

    static long parseTimestamp(String s, TimeUnit unit) {
        String t = s.trim();
        Instant i;
        try {
            i = Instant.parse(t);
        } catch (DateTimeParseException e) {
            try {
                i = LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("cannot parse '" + s + "' as an ISO-8601 timestamp");
            }
        }
        return switch (unit) {
            case SECOND -> i.getEpochSecond();
            case MILLISECOND -> i.toEpochMilli();
            case MICROSECOND -> Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
            case NANOSECOND -> Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
        };
    }
}
