package dev.weft.data.internal.arrow;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import dev.weft.data.Row;
import dev.weft.data.internal.RowSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
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

    /** The rows of {@code root}, in order; they share one {@link RowSchema}. */
    public static List<Row> toRows(VectorSchemaRoot root) {
        int n = root.getRowCount();
        List<FieldVector> vectors = root.getFieldVectors();
        int c = vectors.size();
        String[] names = new String[c];
        for (int j = 0; j < c; j++) {
            names[j] = vectors.get(j).getName();
        }
        RowSchema schema = RowSchema.of(names);
        if (schema == null) {
            throw new IllegalArgumentException("batch has a column name twice: " + root.getSchema());
        }
        Object[][] values = new Object[n][c];
        for (int j = 0; j < c; j++) {
            readColumn(vectors.get(j), values, j, n);
        }
        Row[] rows = new Row[n];
        for (int i = 0; i < n; i++) {
            rows[i] = schema.row(values[i]);
        }
        return Arrays.asList(rows);
    }

    /** Column {@code j} of {@code values} from {@code v}, a column at a time so each vector is read in one pass. */
    private static void readColumn(FieldVector v, Object[][] values, int j, int n) {
        switch (v) {
            case Float8Vector x -> {
                for (int i = 0; i < n; i++) {
                    values[i][j] = x.isNull(i) ? null : x.get(i);
                }
            }
            case BigIntVector x -> {
                for (int i = 0; i < n; i++) {
                    values[i][j] = x.isNull(i) ? null : x.get(i);
                }
            }
            case IntVector x -> {
                for (int i = 0; i < n; i++) {
                    values[i][j] = x.isNull(i) ? null : x.get(i);
                }
            }
            case VarCharVector x -> readStrings(x, values, j, n);
            default -> {
                for (int i = 0; i < n; i++) {
                    values[i][j] = value(v, i);
                }
            }
        }
    }

    /**
     * Strings decoded with {@code new String(bytes, UTF_8)} (the JDK's ASCII fast path) from one heap copy of the
     * data buffer, rather than a copy and a {@code CharsetDecoder} per value through Arrow's {@code Text}.
     */
    private static void readStrings(VarCharVector x, Object[][] values, int j, int n) {
        if (n == 0) {
            return;
        }
        ArrowBuf offsets = x.getOffsetBuffer();
        int first = offsets.getInt(0);
        int end = offsets.getInt((long) n * BaseVariableWidthVector.OFFSET_WIDTH);
        byte[] data = new byte[end - first];
        x.getDataBuffer().getBytes(first, data, 0, data.length);
        int start = first;
        for (int i = 0; i < n; i++) {
            int next = offsets.getInt((long) (i + 1) * BaseVariableWidthVector.OFFSET_WIDTH);
            values[i][j] = x.isNull(i) ? null : new String(data, start - first, next - start, StandardCharsets.UTF_8);
            start = next;
        }
    }

    /** The Java value of row {@code i} of {@code v}: strings as {@code String}, the rest as Arrow gives them. */
    public static Object value(FieldVector v, int i) {
        if (v.isNull(i)) {
            return null;
        }
        if (v instanceof VarCharVector s) {
            return new String(s.get(i), StandardCharsets.UTF_8);
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
        int n = rows.size();
        RowSchema shared = n == 0 ? null : RowSchema.of(rows.getFirst());
        for (int i = 1; i < n && shared != null; i++) {
            if (!shared.sameNames(RowSchema.of(rows.get(i)))) {
                shared = null;
            }
        }
        List<String> names;
        List<ArrowType> types;
        if (shared != null) {
            names = new ArrayList<>(shared.columns());
            types = new ArrayList<>(names.size());
            for (int j = 0; j < names.size(); j++) {
                ArrowType t = null;
                // Types come from the first non-null value: stop at it rather than walking every row.
                for (int i = 0; i < n && t == null; i++) {
                    Object value = RowSchema.value(rows.get(i), j);
                    if (value != null) {
                        t = typeOf(value, names.get(j), operator);
                    }
                }
                types.add(t);
            }
        } else {
            LinkedHashMap<String, ArrowType> seen = new LinkedHashMap<>();
            for (Row r : rows) {
                RowSchema s = RowSchema.of(r);
                for (int j = 0; j < s.size(); j++) {
                    Object value = RowSchema.value(r, j);
                    if (value != null && seen.get(s.name(j)) == null) {
                        seen.put(s.name(j), typeOf(value, s.name(j), operator));
                    } else {
                        seen.putIfAbsent(s.name(j), null);
                    }
                }
            }
            names = new ArrayList<>(seen.keySet());
            types = new ArrayList<>(seen.values());
        }
        List<Field> fields = new ArrayList<>(names.size());
        for (int j = 0; j < names.size(); j++) {
            String name = names.get(j);
            ArrowType t = types.get(j);
            if (t == null && hint != null) {
                t = hint.getFields().stream().filter(f -> f.getName().equals(name)).map(Field::getType)
                        .findFirst().orElse(null);
            }
            fields.add(new Field(name, FieldType.nullable(t == null ? ArrowType.Utf8.INSTANCE : t), null));
        }
        VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator);
        try {
            List<FieldVector> vectors = root.getFieldVectors();
            Object[] column = new Object[n];
            for (int j = 0; j < vectors.size(); j++) {
                FieldVector v = vectors.get(j);
                if (shared != null) {
                    for (int i = 0; i < n; i++) {
                        column[i] = RowSchema.value(rows.get(i), j);
                    }
                } else {
                    String name = v.getName();
                    for (int i = 0; i < n; i++) {
                        Row r = rows.get(i);
                        int k = RowSchema.of(r).indexOf(name);
                        column[i] = k < 0 ? null : RowSchema.value(r, k);
                    }
                }
                writeColumn(v, column, n, operator);
            }
            root.setRowCount(n);
            return root;
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /** Writes {@code column[0..n)} into {@code v}, allocated here at its final size. */
    private static void writeColumn(FieldVector v, Object[] column, int n, String operator) {
        if (v instanceof VarCharVector x) {
            byte[][] bytes = new byte[n][];
            long total = 0;
            for (int i = 0; i < n; i++) {
                if (column[i] != null) {
                    bytes[i] = column[i].toString().getBytes(StandardCharsets.UTF_8);
                    total += bytes[i].length;
                }
            }
            if (total > Integer.MAX_VALUE) {
                throw new WeftException(ErrorType.USER_ERROR, "operator " + operator + ": column '" + v.getName()
                        + "' holds " + total + " bytes of strings in " + n + " rows, more than an Arrow batch can hold"
                        + " (2 GiB); return fewer or shorter rows per batch");
            }
            x.allocateNew(Math.max(total, 1), Math.max(n, 1));
            for (int i = 0; i < n; i++) {
                if (bytes[i] == null) {
                    x.setNull(i);
                } else {
                    x.set(i, bytes[i]);
                }
            }
        } else {
            v.setInitialCapacity(Math.max(n, 1));
            v.allocateNew();
            for (int i = 0; i < n; i++) {
                if (column[i] == null) {
                    v.setNull(i);
                } else {
                    set(v, i, column[i], operator);
                }
            }
        }
        v.setValueCount(n);
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
