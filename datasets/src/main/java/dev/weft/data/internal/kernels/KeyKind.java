package dev.weft.data.internal.kernels;

import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * How a kernel reads, hashes, compares and rebuilds a key column. Every fixed-width type of at most 8 bytes is held
 * as a {@code long}; signed integers are sign-extended so that an int32 key and an int64 key with equal values hash
 * alike (joins across the two widths work). Floating-point keys are normalised (-0.0 is 0.0, every NaN is one NaN)
 * so that equal values group and join together, as in Spark.
 */
enum KeyKind {
  /** Signed integers, dates, times, timestamps, durations: compared as signed longs. */
  SIGNED,
  /** Unsigned integers: compared as unsigned longs. */
  UNSIGNED,
  /** float32 / float64, as normalised raw bits; compared numerically, NaN greatest. */
  FLOAT,
  /** Booleans, 0 or 1. */
  BOOL,
  /** Variable-width utf8 / binary with 32-bit offsets: compared as unsigned bytes. */
  BYTES,
  /** Fixed-size binary: compared as unsigned bytes. */
  FIXED_BYTES,
  /** 128-bit decimals (little-endian two's complement): compared as signed 128-bit integers. */
  DECIMAL;

  /** The kind of {@code field}, or an {@link IllegalArgumentException} naming the column when it can't be a key. */
  static KeyKind of(Field field) {
    ArrowType type = field.getType();
    return switch (type) {
      case ArrowType.Int i -> i.getIsSigned() ? SIGNED : UNSIGNED;
      case ArrowType.FloatingPoint f -> {
        if (f.getPrecision() == FloatingPointPrecision.HALF) {
          throw unsupported(field);
        }
        yield FLOAT;
      }
      case ArrowType.Bool b -> BOOL;
      case ArrowType.Utf8 u -> BYTES;
      case ArrowType.Binary b -> BYTES;
      case ArrowType.FixedSizeBinary b -> FIXED_BYTES;
      case ArrowType.Decimal d -> {
        if (d.getBitWidth() != 128) {
          throw unsupported(field);
        }
        yield DECIMAL;
      }
      case ArrowType.Date d -> SIGNED;
      case ArrowType.Time t -> SIGNED;
      case ArrowType.Timestamp t -> SIGNED;
      case ArrowType.Duration d -> SIGNED;
      default -> throw unsupported(field);
    };
  }

  /** Byte width of one value in the data buffer, for the fixed-width kinds. */
  static int width(Field field) {
    ArrowType type = field.getType();
    return switch (type) {
      case ArrowType.Int i -> i.getBitWidth() / 8;
      case ArrowType.FloatingPoint f -> f.getPrecision() == FloatingPointPrecision.SINGLE ? 4 : 8;
      case ArrowType.Bool b -> 0;
      case ArrowType.FixedSizeBinary b -> b.getByteWidth();
      case ArrowType.Decimal d -> 16;
      case ArrowType.Date d -> d.getUnit() == org.apache.arrow.vector.types.DateUnit.DAY ? 4 : 8;
      case ArrowType.Time t -> t.getBitWidth() / 8;
      case ArrowType.Timestamp t -> 8;
      case ArrowType.Duration d -> 8;
      default -> -1;
    };
  }

  private static IllegalArgumentException unsupported(Field field) {
    return new IllegalArgumentException(
        "column '" + field.getName() + "' of type " + field.getType()
            + " can't be used as a key (supported: integers, floats, booleans, dates, times, timestamps, durations,"
            + " utf8, binary, fixed-size binary, decimal128)");
  }
}
