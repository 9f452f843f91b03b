package dev.weft.connectors.internal.text;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * The text form of Arrow values for CSV and JSON output: ISO dates and timestamps (UTC), base64 for binary,
 * {@code true}/{@code false}, Java's number formatting otherwise.
 */
public final class TextValues {
    private TextValues() {}

    /** The value of {@code row}, or {@code null}. */
    public static String format(FieldVector v, int row) {
        if (v.isNull(row)) {
            return null;
        }
        return switch (v) {
            case VarCharVector s -> new String(s.get(row), StandardCharsets.UTF_8);
            case BitVector b -> b.get(row) != 0 ? "true" : "false";
            case DateDayVector d -> LocalDate.ofEpochDay(d.get(row)).toString();
            case DateMilliVector d -> LocalDate.ofEpochDay(Math.floorDiv(d.get(row), 86_400_000L)).toString();
            case TimeStampVector t -> timestamp(t, row);
            case VarBinaryVector b -> Base64.getEncoder().encodeToString(b.get(row));
            case FixedSizeBinaryVector b -> Base64.getEncoder().encodeToString(b.get(row));
            case org.apache.arrow.vector.DecimalVector d -> d.getObject(row).toPlainString();
            default -> String.valueOf(v.getObject(row));
        };
    }

    private static String timestamp(TimeStampVector t, int row) {
        long x = t.get(row);
        ArrowType.Timestamp type = (ArrowType.Timestamp) t.getField().getType();
        Instant i = switch (type.getUnit()) {
            case SECOND -> Instant.ofEpochSecond(x);
            case MILLISECOND -> Instant.ofEpochMilli(x);
            case MICROSECOND -> Instant.ofEpochSecond(Math.floorDiv(x, 1_000_000L), Math.floorMod(x, 1_000_000L) * 1000);
            case NANOSECOND -> Instant.ofEpochSecond(Math.floorDiv(x, 1_000_000_000L), Math.floorMod(x, 1_000_000_000L));
        };
        return i.toString();
    }
}
