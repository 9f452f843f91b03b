package dev.weft.connectors.internal.parquet;

import dev.weft.connectors.internal.filter.Pred;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.filter2.predicate.Operators;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Translates a {@link Pred} into parquet-mr's {@link FilterPredicate} for one file schema, so that parquet-mr's
 * row-group filter can drop row groups whose statistics (min, max, null count) rule every row out. The translation
 * is conservative: a leaf it cannot express exactly (unknown column, mismatched literal type, lossy conversion)
 * becomes "might match", which is dropped from a conjunction and poisons a disjunction.
 */
public final class ParquetFilters {
    private ParquetFilters() {}

    /** The row-group filter for {@code p} in {@code schema}, or {@code null} if nothing can be pushed. */
    public static FilterPredicate toParquet(Pred p, MessageType schema) {
        return convert(Pred.negationNormalForm(p), schema);
    }

    private static FilterPredicate convert(Pred p, MessageType schema) {
        return switch (p) {
            case Pred.And a -> {
                List<FilterPredicate> parts = new ArrayList<>();
                for (Pred c : a.children()) {
                    FilterPredicate f = convert(c, schema);
                    if (f != null) {
                        parts.add(f);
                    }
                }
                FilterPredicate out = null;
                for (FilterPredicate f : parts) {
                    out = out == null ? f : FilterApi.and(out, f);
                }
                yield out;
            }
            case Pred.Or o -> {
                FilterPredicate out = null;
                for (Pred c : o.children()) {
                    FilterPredicate f = convert(c, schema);
                    if (f == null) {
                        yield null;
                    }
                    out = out == null ? f : FilterApi.or(out, f);
                }
                yield out;
            }
            case Pred.Not n -> null; // Not survives negation normal form only above Opaque.
            case Pred.Opaque o -> null;
            case Pred.IsNull n -> nullTest(n.column(), schema, true);
            case Pred.IsNotNull n -> nullTest(n.column(), schema, false);
            case Pred.Compare c -> compare(c, schema);
        };
    }

    /**
     * A date or timestamp constant as the column stores it (days; the timestamp's unit), so that row groups are
     * skipped on the dates TPC-H-like filters compare with; other constants are returned as they are.
     */
    private static Object temporalLiteral(Object lit, LogicalTypeAnnotation a) {
        if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
            return switch (lit) {
                case java.time.LocalDate d -> d.toEpochDay();
                case String s -> {
                    try {
                        yield java.time.LocalDate.parse(s.trim()).toEpochDay();
                    } catch (java.time.format.DateTimeParseException e) {
                        yield null;
                    }
                }
                default -> lit instanceof Number ? null : lit;
            };
        }
        if (a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
            java.time.Instant i = switch (lit) {
                case java.time.Instant x -> x;
                case java.time.LocalDateTime x -> x.toInstant(java.time.ZoneOffset.UTC);
                case java.time.LocalDate x -> x.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
                default -> null;
            };
            if (i == null) {
                return lit instanceof Number ? null : lit;
            }
            return switch (ts.getUnit()) {
                case MILLIS -> i.toEpochMilli();
                case MICROS -> Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
                case NANOS -> Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
            };
        }
        return lit;
    }

    private static PrimitiveType column(String name, MessageType schema) {
        if (name.indexOf('.') >= 0 || !schema.containsField(name)) {
            return null;
        }
        Type t = schema.getType(name);
        return t.isPrimitive() && !t.isRepetition(Type.Repetition.REPEATED) ? t.asPrimitiveType() : null;
    }

    private static FilterPredicate nullTest(String name, MessageType schema, boolean isNull) {
        PrimitiveType t = column(name, schema);
        if (t == null) {
            return null;
        }
        return switch (t.getPrimitiveTypeName()) {
            case INT32 -> isNull ? FilterApi.eq(FilterApi.intColumn(name), null) : FilterApi.notEq(FilterApi.intColumn(name), null);
            case INT64 -> isNull ? FilterApi.eq(FilterApi.longColumn(name), null) : FilterApi.notEq(FilterApi.longColumn(name), null);
            case FLOAT -> isNull ? FilterApi.eq(FilterApi.floatColumn(name), null) : FilterApi.notEq(FilterApi.floatColumn(name), null);
            case DOUBLE -> isNull ? FilterApi.eq(FilterApi.doubleColumn(name), null) : FilterApi.notEq(FilterApi.doubleColumn(name), null);
            case BOOLEAN -> isNull ? FilterApi.eq(FilterApi.booleanColumn(name), null) : FilterApi.notEq(FilterApi.booleanColumn(name), null);
            case BINARY -> isNull ? FilterApi.eq(FilterApi.binaryColumn(name), null) : FilterApi.notEq(FilterApi.binaryColumn(name), null);
            default -> null;
        };
    }

    private static FilterPredicate compare(Pred.Compare c, MessageType schema) {
        PrimitiveType t = column(c.column(), schema);
        if (t == null) {
            return null;
        }
        LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
        Object lit = temporalLiteral(c.literal(), a);
        String name = c.column();
        switch (t.getPrimitiveTypeName()) {
            case INT32: {
                if (a != null && !(a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && i.isSigned())
                        && !(a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation)) {
                    return null;
                }
                Bound b = integralBound(c.op(), lit);
                if (b == null || b.value < Integer.MIN_VALUE || b.value > Integer.MAX_VALUE) {
                    return null;
                }
                return ordered(FilterApi.intColumn(name), b.op, (int) b.value);
            }
            case INT64: {
                if (a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation
                        || (a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && !i.isSigned())) {
                    return null;
                }
                Bound b = integralBound(c.op(), lit);
                return b == null ? null : ordered(FilterApi.longColumn(name), b.op, b.value);
            }
            case DOUBLE:
                if (!(lit instanceof Number n) || lit instanceof Float) {
                    return lit instanceof Float f ? ordered(FilterApi.doubleColumn(name), c.op(), (double) f) : null;
                }
                return ordered(FilterApi.doubleColumn(name), c.op(), n.doubleValue());
            case FLOAT:
                if (!(lit instanceof Number n)) {
                    return null;
                }
                float f = n.floatValue();
                if ((double) f != n.doubleValue()) {
                    return null;
                }
                return ordered(FilterApi.floatColumn(name), c.op(), f);
            case BOOLEAN:
                if (!(lit instanceof Boolean bool)) {
                    return null;
                }
                return switch (c.op()) {
                    case EQ -> FilterApi.eq(FilterApi.booleanColumn(name), bool);
                    case NE -> FilterApi.notEq(FilterApi.booleanColumn(name), bool);
                    default -> null;
                };
            case BINARY:
                if (!(lit instanceof String s) || !(a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation)) {
                    return null;
                }
                return ordered(FilterApi.binaryColumn(name), c.op(), Binary.fromString(s));
            default:
                return null;
        }
    }

    private record Bound(Pred.Op op, long value) {}

    /** An integer comparison equivalent to comparing an integer column with {@code lit}, or null. */
    private static Bound integralBound(Pred.Op op, Object lit) {
        if (lit instanceof Long || lit instanceof Integer || lit instanceof Short || lit instanceof Byte) {
            return new Bound(op, ((Number) lit).longValue());
        }
        if (!(lit instanceof Double || lit instanceof Float)) {
            return null;
        }
        double d = ((Number) lit).doubleValue();
        if (Double.isNaN(d) || Math.abs(d) > 9.0e18) {
            return null;
        }
        if (d == Math.rint(d)) {
            return new Bound(op, (long) d);
        }
        return switch (op) {
            case LT, LE -> new Bound(Pred.Op.LE, (long) Math.floor(d));
            case GT, GE -> new Bound(Pred.Op.GE, (long) Math.ceil(d));
            default -> null;
        };
    }

    private static <T extends Comparable<T>, C extends Operators.Column<T> & Operators.SupportsLtGt> FilterPredicate ordered(
            C col, Pred.Op op, T v) {
        return switch (op) {
            case EQ -> FilterApi.eq((Operators.Column<T> & Operators.SupportsEqNotEq) (Object) col, v);
            case NE -> FilterApi.notEq((Operators.Column<T> & Operators.SupportsEqNotEq) (Object) col, v);
            case LT -> FilterApi.lt(col, v);
            case LE -> FilterApi.ltEq(col, v);
            case GT -> FilterApi.gt(col, v);
            case GE -> FilterApi.gtEq(col, v);
        };
    }
}
