package dev.weft.data.internal.expr;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Dates as days since 1970-01-01 and timestamps as microseconds since the epoch (UTC): the forms the evaluator
 * computes on, read from any Arrow date or timestamp unit and written back as {@code Date(DAY)} and
 * {@code Timestamp(MICROSECOND, "UTC")}.
 */
public final class Temporals {
    public static final long MICROS_PER_DAY = 86_400_000_000L;

    private Temporals() {
    }

    /** Days or microseconds of rows {@code [0, n)} of a date or timestamp vector. */
    static long[] read(FieldVector v, int n) {
        long[] out = new long[n];
        switch (v) {
            case DateDayVector d -> {
                ArrowBuf b = d.getDataBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = b.getInt((long) i * 4);
                }
            }
            case DateMilliVector d -> {
                ArrowBuf b = d.getDataBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = Math.floorDiv(b.getLong((long) i * 8), 86_400_000L);
                }
            }
            case TimeStampVector t -> {
                ArrowBuf b = t.getDataBuffer();
                TimeUnit unit = ((ArrowType.Timestamp) t.getField().getType()).getUnit();
                for (int i = 0; i < n; i++) {
                    out[i] = toMicros(b.getLong((long) i * 8), unit);
                }
            }
            default -> throw new IllegalArgumentException("column '" + v.getName() + "' of type "
                    + v.getField().getType() + " is not a date or timestamp");
        }
        return out;
    }

    static long toMicros(long value, TimeUnit unit) {
        return switch (unit) {
            case SECOND -> value * 1_000_000L;
            case MILLISECOND -> value * 1000L;
            case MICROSECOND -> value;
            case NANOSECOND -> Math.floorDiv(value, 1000L);
        };
    }

    public static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    public static LocalDate date(long days) {
        return LocalDate.ofEpochDay(days);
    }

    /** Days of a date or micros of a timestamp, from any of the Java values literals and rows use. */
    static long encode(Object value, boolean timestamp) {
        return switch (value) {
            case LocalDate d -> timestamp ? d.toEpochDay() * MICROS_PER_DAY : d.toEpochDay();
            case Instant t -> timestamp ? micros(t) : Math.floorDiv(micros(t), MICROS_PER_DAY);
            case LocalDateTime t -> encode(t.toInstant(ZoneOffset.UTC), timestamp);
            case Long l -> l;
            default -> throw new IllegalArgumentException("not a date or timestamp: " + value);
        };
    }

    /** A date from {@code yyyy-MM-dd} (or a timestamp string, taking its UTC day). */
    static long parseDate(String s) {
        String t = s.trim();
        try {
            return LocalDate.parse(t).toEpochDay();
        } catch (DateTimeParseException e) {
            return Math.floorDiv(parseTimestamp(t), MICROS_PER_DAY);
        }
    }

    /**
     * Microseconds of an ISO-8601 timestamp: with an offset or {@code Z} it is that instant, without one it is UTC
     * wall-clock time; a space may separate date and time; a bare date is its midnight.
     */
    static long parseTimestamp(String s) {
        String t = s.trim().replace(' ', 'T');
        try {
            return micros(OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return micros(LocalDateTime.parse(t).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e2) {
                return LocalDate.parse(t).toEpochDay() * MICROS_PER_DAY;
            }
        }
    }

    static String formatDate(long days) {
        return LocalDate.ofEpochDay(days).toString();
    }

    static String formatTimestamp(long micros) {
        return instant(micros).toString();
    }

    /** A {@code Date(DAY)} vector from days or a {@code Timestamp(MICROSECOND, UTC)} vector from microseconds. */
    static FieldVector vector(dev.weft.data.DataType type, long[] values, boolean[] nulls,
                              org.apache.arrow.memory.BufferAllocator alloc, int n) {
        if (type == dev.weft.data.DataType.DATE) {
            DateDayVector out = new DateDayVector("expr", alloc);
            out.allocateNew(n);
            ArrowBuf b = out.getDataBuffer();
            for (int i = 0; i < n; i++) {
                b.setInt((long) i * 4, (int) values[i]);
            }
            Nulls.setValidity(out, n, nulls);
            return out;
        }
        org.apache.arrow.vector.TimeStampMicroTZVector out = new org.apache.arrow.vector.TimeStampMicroTZVector("expr",
                alloc, "UTC");
        out.allocateNew(n);
        dev.weft.data.internal.arrow.Segments.writeLongs(values, out.getDataBuffer(), n);
        Nulls.setValidity(out, n, nulls);
        return out;
    }
}
