package dev.weft.data.internal.arrow;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import dev.weft.data.Row;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.Text;

/** Converts between Arrow batches and {@link Row}s, for the row-at-a-time operations and {@code fromItems}. */
public final class RowBatches {
    private RowBatches() {
    }

    /** The rows of {@code root}, in order. */
    public static List<Row> toRows(VectorSchemaRoot root) {
        int n = root.getRowCount();
        List<FieldVector> vectors = root.getFieldVectors();
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            for (FieldVector v : vectors) {
                m.put(v.getName(), value(v, i));
            }
            rows.add(Row.of(m));
        }
        return rows;
    }

    /** The Java value of row {@code i} of {@code v}: strings as {@code String}, the rest as Arrow gives them. */
    public static Object value(FieldVector v, int i) {
        if (v.isNull(i)) {
            return null;
        }
        Object o = v.getObject(i);
        return o instanceof Text t ? t.toString() : o;
    }

    /**
     * A batch of {@code rows}, columns in first-seen order, types from the first non-null value of each column
     * (or from {@code hint} when it has the column). Fails naming {@code operator}, the column and the row when
     * a value's type does not fit its column.
     */
    public static VectorSchemaRoot fromRows(List<Row> rows, BufferAllocator allocator, String operator, Schema hint) {
        LinkedHashMap<String, ArrowType> types = new LinkedHashMap<>();
        for (Row r : rows) {
            for (Map.Entry<String, Object> e : r.asMap().entrySet()) {
                if (e.getValue() != null && types.get(e.getKey()) == null) {
                    types.put(e.getKey(), typeOf(e.getValue(), e.getKey(), operator));
                } else {
                    types.putIfAbsent(e.getKey(), null);
                }
            }
        }
        List<Field> fields = new ArrayList<>();
        for (Map.Entry<String, ArrowType> e : types.entrySet()) {
            ArrowType t = e.getValue();
            if (t == null && hint != null) {
                t = hint.getFields().stream().filter(f -> f.getName().equals(e.getKey())).map(Field::getType)
                        .findFirst().orElse(null);
            }
            fields.add(new Field(e.getKey(), FieldType.nullable(t == null ? ArrowType.Utf8.INSTANCE : t), null));
        }
        VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator);
        try {
            root.allocateNew();
            int n = rows.size();
            for (FieldVector v : root.getFieldVectors()) {
                String name = v.getName();
                for (int i = 0; i < n; i++) {
                    Object value = rows.get(i).asMap().get(name);
                    if (value == null) {
                        v.setNull(i);
                    } else {
                        set(v, i, value, operator);
                    }
                }
                v.setValueCount(n);
            }
            root.setRowCount(n);
            return root;
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    private static ArrowType typeOf(Object v, String column, String operator) {
        return switch (v) {
            case Boolean b -> ArrowType.Bool.INSTANCE;
            case Integer i -> new ArrowType.Int(32, true);
            case Long l -> new ArrowType.Int(64, true);
            case Short s -> new ArrowType.Int(32, true);
            case Byte b -> new ArrowType.Int(32, true);
            case Float f -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case Double d -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case CharSequence s -> ArrowType.Utf8.INSTANCE;
            case byte[] b -> ArrowType.Binary.INSTANCE;
            default -> throw new WeftException(ErrorType.USER_ERROR, "operator " + operator + ": column '" + column
                    + "' has a value of unsupported type " + v.getClass().getName()
                    + " (use Boolean, Integer, Long, Float, Double, String or byte[])");
        };
    }

    private static void set(FieldVector v, int i, Object value, String operator) {
        try {
            switch (v) {
                case BitVector b -> b.setSafe(i, (Boolean) value ? 1 : 0);
                case IntVector x -> x.setSafe(i, ((Number) value).intValue());
                case BigIntVector x -> x.setSafe(i, ((Number) value).longValue());
                case Float4Vector x -> x.setSafe(i, ((Number) value).floatValue());
                case Float8Vector x -> x.setSafe(i, ((Number) value).doubleValue());
                case VarCharVector x -> x.setSafe(i, value.toString().getBytes(StandardCharsets.UTF_8));
                case VarBinaryVector x -> x.setSafe(i, (byte[]) value);
                default -> throw new WeftException(ErrorType.USER_ERROR, "operator " + operator + ": cannot store into column '"
                        + v.getName() + "' of type " + v.getField().getType());
            }
        } catch (ClassCastException e) {
            throw new WeftException(ErrorType.USER_ERROR, "operator " + operator + ": column '" + v.getName() + "' is "
                    + v.getField().getType() + " but row " + i + " has a " + value.getClass().getSimpleName()
                    + " (" + value + ")", e);
        }
    }
}
