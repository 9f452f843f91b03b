package dev.weft.data;

import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** The column types the expression language produces and {@link Expr#cast} converts to. */
public enum DataType {
    BOOLEAN(ArrowType.Bool.INSTANCE),
    INT32(new ArrowType.Int(32, true)),
    INT64(new ArrowType.Int(64, true)),
    FLOAT32(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
    FLOAT64(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
    STRING(ArrowType.Utf8.INSTANCE);

    private final ArrowType arrowType;

    DataType(ArrowType arrowType) {
        this.arrowType = arrowType;
    }

    /** The Arrow type of a column of this type. */
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
            case ArrowType.FloatingPoint f -> FLOAT32;
            case ArrowType.Utf8 u -> STRING;
            case ArrowType.LargeUtf8 u -> STRING;
            default -> throw new IllegalArgumentException("expressions do not support Arrow type " + type);
        };
    }

    public boolean isNumeric() {
        return this == INT32 || this == INT64 || this == FLOAT32 || this == FLOAT64;
    }

    public boolean isFloating() {
        return this == FLOAT32 || this == FLOAT64;
    }
}
