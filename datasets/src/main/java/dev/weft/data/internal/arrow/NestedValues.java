package dev.weft.data.internal.arrow;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * {@code List} and {@code Map} values of rows as Arrow list and struct columns: their field (element and child
 * types from the first non-null values) and their values written into the nested vectors. Stateless.
 */
final class NestedValues {
    private NestedValues() {
    }

    /** The field of a column whose first non-null value is {@code v}. */
    static Field fieldOf(String name, Object v, String operator) {
        if (v instanceof List<?> list) {
            Object first = list.stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
            Field element = first == null ? Field.nullable("element", ArrowType.Utf8.INSTANCE)
                    : fieldOf("element", first, operator);
            return new Field(name, FieldType.nullable(ArrowType.List.INSTANCE), List.of(element));
        }
        if (v instanceof Map<?, ?> map) {
            List<Field> children = new ArrayList<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String child = String.valueOf(e.getKey());
                children.add(e.getValue() == null ? Field.nullable(child, ArrowType.Utf8.INSTANCE)
                        : fieldOf(child, e.getValue(), operator));
            }
            return new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), children);
        }
        return Field.nullable(name, RowBatches.typeOf(v, name, operator));
    }

    /** Sets slot {@code index} of {@code v} (any supported type, nested or not) to {@code value} (not null). */
    static void set(FieldVector v, int index, Object value) {
        switch (v) {
            case ListVector list -> {
                List<?> values = (List<?>) value;
                FieldVector data = list.getDataVector();
                int start = list.startNewValue(index);
                for (int k = 0; k < values.size(); k++) {
                    Object e = values.get(k);
                    if (e == null) {
                        nullAt(data, start + k);
                    } else {
                        set(data, start + k, e);
                    }
                }
                list.endValue(index, values.size());
            }
            case StructVector struct -> {
                Map<?, ?> values = (Map<?, ?>) value;
                while (struct.getValueCapacity() <= index) {
                    struct.reAlloc();
                }
                struct.setIndexDefined(index);
                for (FieldVector child : struct.getChildrenFromFields()) {
                    Object c = values.get(child.getName());
                    if (c == null) {
                        nullAt(child, index);
                    } else {
                        set(child, index, c);
                    }
                }
            }
            case BigIntVector x -> x.setSafe(index, ((Number) value).longValue());
            case IntVector x -> x.setSafe(index, ((Number) value).intValue());
            case Float8Vector x -> x.setSafe(index, ((Number) value).doubleValue());
            case Float4Vector x -> x.setSafe(index, ((Number) value).floatValue());
            case BitVector x -> x.setSafe(index, (Boolean) value ? 1 : 0);
            case VarCharVector x -> x.setSafe(index, value.toString().getBytes(StandardCharsets.UTF_8));
            case VarBinaryVector x -> x.setSafe(index, (byte[]) value);
            case DateDayVector x -> x.setSafe(index, Math.toIntExact(((java.time.LocalDate) value).toEpochDay()));
            case TimeStampVector x -> {
                java.time.Instant t = value instanceof java.time.LocalDateTime l ? l.toInstant(java.time.ZoneOffset.UTC)
                        : (java.time.Instant) value;
                x.setSafe(index, Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000));
            }
            case DecimalVector x -> x.setSafe(index, ((BigDecimal) value).setScale(x.getScale(),
                    java.math.RoundingMode.HALF_UP));
            default -> throw new ClassCastException("cannot store " + value.getClass().getName() + " in "
                    + v.getField().getType());
        }
    }

    private static void nullAt(FieldVector v, int index) {
        while (v.getValueCapacity() <= index) {
            v.reAlloc();
        }
        v.setNull(index);
    }
}
