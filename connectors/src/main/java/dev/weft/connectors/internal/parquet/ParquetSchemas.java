package dev.weft.connectors.internal.parquet;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Maps flat Parquet schemas to Arrow schemas and back. Nested Parquet types (groups, repeated fields) are refused
 * with the column's name: the reader decodes flat columns only.
 */
public final class ParquetSchemas {
    private ParquetSchemas() {}

    /** The Arrow schema of a Parquet file; {@code file} only names the file in errors. */
    public static Schema toArrow(MessageType parquet, String file) {
        List<Field> fields = new ArrayList<>(parquet.getFieldCount());
        for (Type t : parquet.getFields()) {
            fields.add(toArrow(t, file));
        }
        return new Schema(fields);
    }

    static Field toArrow(Type t, String file) {
        if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
            throw new IllegalArgumentException("Parquet file " + file + ": column '" + t.getName() + "' is "
                    + (t.isPrimitive() ? "repeated" : "a nested group " + t)
                    + "; the Parquet reader supports flat columns only");
        }
        PrimitiveType p = t.asPrimitiveType();
        boolean nullable = !p.isRepetition(Type.Repetition.REQUIRED);
        return new Field(p.getName(), new FieldType(nullable, arrowType(p, file), null), null);
    }

    static ArrowType arrowType(PrimitiveType p, String file) {
        LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
        switch (p.getPrimitiveTypeName()) {
            case BOOLEAN:
                return ArrowType.Bool.INSTANCE;
            case INT32:
                if (a instanceof IntLogicalTypeAnnotation i) {
                    if (!i.isSigned()) {
                        // Unsigned values are widened so that no value turns negative.
                        return i.getBitWidth() == 32 ? new ArrowType.Int(64, true) : new ArrowType.Int(i.getBitWidth() * 2, true);
                    }
                    return new ArrowType.Int(i.getBitWidth(), true);
                }
                if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return new ArrowType.Date(DateUnit.DAY);
                }
                if (a instanceof TimeLogicalTypeAnnotation) {
                    return new ArrowType.Time(TimeUnit.MILLISECOND, 32);
                }
                if (a instanceof DecimalLogicalTypeAnnotation d) {
                    return new ArrowType.Decimal(d.getPrecision(), d.getScale(), 128);
                }
                return new ArrowType.Int(32, true);
            case INT64:
                if (a instanceof IntLogicalTypeAnnotation i && !i.isSigned()) {
                    return new ArrowType.Int(64, false);
                }
                if (a instanceof TimestampLogicalTypeAnnotation ts) {
                    return new ArrowType.Timestamp(arrowUnit(ts.getUnit()), ts.isAdjustedToUTC() ? "UTC" : null);
                }
                if (a instanceof TimeLogicalTypeAnnotation tm) {
                    return new ArrowType.Time(arrowUnit(tm.getUnit()), 64);
                }
                if (a instanceof DecimalLogicalTypeAnnotation d) {
                    return new ArrowType.Decimal(d.getPrecision(), d.getScale(), 128);
                }
                return new ArrowType.Int(64, true);
            case INT96:
                return new ArrowType.Timestamp(TimeUnit.NANOSECOND, null);
            case FLOAT:
                return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case DOUBLE:
                return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case BINARY:
                if (a instanceof DecimalLogicalTypeAnnotation d) {
                    return new ArrowType.Decimal(d.getPrecision(), d.getScale(), 128);
                }
                if (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                        || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                        || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
                    return ArrowType.Utf8.INSTANCE;
                }
                return ArrowType.Binary.INSTANCE;
            case FIXED_LEN_BYTE_ARRAY:
                if (a instanceof DecimalLogicalTypeAnnotation d) {
                    return new ArrowType.Decimal(d.getPrecision(), d.getScale(), 128);
                }
                return new ArrowType.FixedSizeBinary(p.getTypeLength());
            default:
                throw new IllegalArgumentException("Parquet file " + file + ": column '" + p.getName()
                        + "' has unsupported type " + p);
        }
    }

    private static TimeUnit arrowUnit(LogicalTypeAnnotation.TimeUnit u) {
        return switch (u) {
            case MILLIS -> TimeUnit.MILLISECOND;
            case MICROS -> TimeUnit.MICROSECOND;
            case NANOS -> TimeUnit.NANOSECOND;
        };
    }

    private static LogicalTypeAnnotation.TimeUnit parquetUnit(TimeUnit u) {
        return switch (u) {
            case SECOND, MILLISECOND -> LogicalTypeAnnotation.TimeUnit.MILLIS;
            case MICROSECOND -> LogicalTypeAnnotation.TimeUnit.MICROS;
            case NANOSECOND -> LogicalTypeAnnotation.TimeUnit.NANOS;
        };
    }

    /** The Parquet schema the writer uses for an Arrow schema; refuses nested and unsigned types by column name. */
    public static MessageType toParquet(Schema schema) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (Field f : schema.getFields()) {
            b.addField(toParquet(f));
        }
        return b.named("weft");
    }

    static PrimitiveType toParquet(Field f) {
        Type.Repetition rep = f.isNullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
        ArrowType t = f.getType();
        String name = f.getName();
        return switch (t) {
            case ArrowType.Bool ignored -> Types.primitive(PrimitiveTypeName.BOOLEAN, rep).named(name);
            case ArrowType.Int i -> {
                if (!i.getIsSigned()) {
                    throw unsupported(f);
                }
                yield i.getBitWidth() == 64
                        ? Types.primitive(PrimitiveTypeName.INT64, rep).named(name)
                        : i.getBitWidth() == 32
                                ? Types.primitive(PrimitiveTypeName.INT32, rep).named(name)
                                : Types.primitive(PrimitiveTypeName.INT32, rep)
                                        .as(LogicalTypeAnnotation.intType(i.getBitWidth(), true)).named(name);
            }
            case ArrowType.FloatingPoint fp -> switch (fp.getPrecision()) {
                case SINGLE -> Types.primitive(PrimitiveTypeName.FLOAT, rep).named(name);
                case DOUBLE -> Types.primitive(PrimitiveTypeName.DOUBLE, rep).named(name);
                case HALF -> throw unsupported(f);
            };
            case ArrowType.Utf8 ignored -> Types.primitive(PrimitiveTypeName.BINARY, rep)
                    .as(LogicalTypeAnnotation.stringType()).named(name);
            case ArrowType.Binary ignored -> Types.primitive(PrimitiveTypeName.BINARY, rep).named(name);
            case ArrowType.FixedSizeBinary fsb -> Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, rep)
                    .length(fsb.getByteWidth()).named(name);
            case ArrowType.Date ignored -> Types.primitive(PrimitiveTypeName.INT32, rep)
                    .as(LogicalTypeAnnotation.dateType()).named(name);
            case ArrowType.Time tm -> tm.getBitWidth() == 32
                    ? Types.primitive(PrimitiveTypeName.INT32, rep)
                            .as(LogicalTypeAnnotation.timeType(false, LogicalTypeAnnotation.TimeUnit.MILLIS)).named(name)
                    : Types.primitive(PrimitiveTypeName.INT64, rep)
                            .as(LogicalTypeAnnotation.timeType(false, parquetUnit(tm.getUnit()))).named(name);
            case ArrowType.Timestamp ts -> Types.primitive(PrimitiveTypeName.INT64, rep)
                    .as(LogicalTypeAnnotation.timestampType(ts.getTimezone() != null, parquetUnit(ts.getUnit())))
                    .named(name);
            case ArrowType.Decimal d -> d.getPrecision() <= 18
                    ? Types.primitive(PrimitiveTypeName.INT64, rep)
                            .as(LogicalTypeAnnotation.decimalType(d.getScale(), d.getPrecision())).named(name)
                    : Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, rep).length(16)
                            .as(LogicalTypeAnnotation.decimalType(d.getScale(), d.getPrecision())).named(name);
            default -> throw unsupported(f);
        };
    }

    private static IllegalArgumentException unsupported(Field f) {
        return new IllegalArgumentException("column '" + f.getName() + "' has Arrow type " + f.getType()
                + ", which the Parquet writer does not support (flat boolean, signed int, float, double, string, "
                + "binary, fixed binary, date, time, timestamp and decimal columns are supported)");
    }
}
