package dev.weft.data;

import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * The column types the expression language computes on and {@link Expr#cast} converts to.
 *
 * <p>{@link #DATE} is a calendar day (Arrow {@code Date(DAY)}, {@code LocalDate} in rows); {@link #TIMESTAMP} is an
 * instant with microsecond precision (Arrow {@code Timestamp(MICROSECOND, "UTC")}, {@code Instant} in rows): Weft's
 * session time zone is UTC, so a timestamp column without a zone is read as UTC wall-clock time. {@link #DECIMAL}
 * is an exact number (Arrow {@code Decimal128}, {@code BigDecimal} in rows) whose precision and scale come from the
 * column or are computed by SQL's rules for arithmetic; {@link #arrowType()} of DECIMAL is {@code Decimal(38, 18)},
 * the type a cast without precision gives ({@link Expr#cast(int, int)} picks both).
 */
public enum DataType {
    BOOLEAN(ArrowType.Bool.INSTANCE),
    INT32(new ArrowType.Int(32, true)),
    INT64(new ArrowType.Int(64, true)),
    FLOAT32(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
    FLOAT64(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
    STRING(ArrowType.Utf8.INSTANCE),
    DATE(new ArrowType.Date(DateUnit.DAY)),
    TIMESTAMP(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
    DECIMAL(new ArrowType.Decimal(38, 18, 128));

    private final ArrowType arrowType;

    DataType(ArrowType arrowType) {
        this.arrowType = arrowType;
    }

    /** The Arrow type of a column of this type (for DECIMAL, the default {@code Decimal(38, 18)}). */
    public ArrowType arrowType() {
        return arrowType;
    }

    /** The expression type of an Arrow type, failing with the type's name when expressions cannot handle it. */
    public static DataType of(ArrowType type) {
        return switch (type) {
            case ArrowType.Bool b -> BOOLEAN;
            case ArrowType.Int i when i.getBitWidth() <= 32 -> INT32;
            case ArrowType.Int i -> INT64;
            case ArrowType.FloatingPoint f when f.getPrecision() == FloatingPointPrecision.DOUBLE -> FLOAT64;
            case ArrowType.FloatingPoint f when f.getPrecision() == FloatingPointPrecision.SINGLE -> FLOAT32;
            case ArrowType.Utf8 u -> STRING;
            case ArrowType.LargeUtf8 u -> STRING;
            case ArrowType.Date d -> DATE;
            case ArrowType.Timestamp t -> TIMESTAMP;
            case ArrowType.Decimal d when d.getBitWidth() == 128 -> DECIMAL;
            default -> throw new IllegalArgumentException("expressions do not support Arrow type " + type);
        };
    }

    /** Integers, floating-point numbers and decimals. */
    public boolean isNumeric() {
        return this == INT32 || this == INT64 || this == FLOAT32 || this == FLOAT64 || this == DECIMAL;
    }

    public boolean isFloating() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** INT32 and INT64. */
    public boolean isIntegral() {
        return this == INT32 || this == INT64;
    }

    /** DATE and TIMESTAMP. */
    public boolean isTemporal() {
        return this == DATE || this == TIMESTAMP;
    }
}
