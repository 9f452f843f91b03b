package dev.weft.data.internal.arrow;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import dev.weft.data.Row;
import dev.weft.data.internal.RowSchema;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
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

    /** The rows of {@code root}, in order; they share one {@link RowSchema}. */
    public static List<Row> toRows(VectorSchemaRoot root) {
        return Arrays.asList(toRows(root, schemaOf(root), 0, root.getRowCount()));
    }

    /** The schema of the rows of {@code root}: its column names. */
    public static RowSchema schemaOf(VectorSchemaRoot root) {
        List<FieldVector> vectors = root.getFieldVectors();
        String[] names = new String[vectors.size()];
        for (int j = 0; j < names.length; j++) {
            // Interned, so the literals a user function looks columns up with match by identity (RowSchema.indexOf).
            names[j] = vectors.get(j).getName().intern();
        }
        RowSchema schema = RowSchema.of(names);
        if (schema == null) {
            throw new IllegalArgumentException("batch has a column name twice: " + root.getSchema());
        }
        return schema;
    }

    /**
     * Rows {@code [from, to)} of {@code root}, of {@code schema} ({@link #schemaOf}). Callers that go through a
     * large batch convert it a slice at a time, so the rows they make are still in the CPU's cache when used.
     */
    public static Row[] toRows(VectorSchemaRoot root, RowSchema schema, int from, int to) {
        List<FieldVector> vectors = root.getFieldVectors();
        int c = vectors.size();
        int n = to - from;
        // Row arrays one by one: the JIT allocates these inline, where new Object[n][c] is a call into the VM.
        Object[][] values = new Object[n][];
        for (int i = 0; i < n; i++) {
            values[i] = new Object[c];
        }
        for (int j = 0; j < c; j++) {
            readColumn(vectors.get(j), values, j, from, n);
        }
        Row[] rows = new Row[n];
        for (int i = 0; i < n; i++) {
            rows[i] = schema.row(values[i]);
        }
        return rows;
    }

    /** Column {@code j} of {@code values} from rows {@code [from, from + n)} of {@code v}, in one pass. */
    private static void readColumn(FieldVector v, Object[][] values, int j, int from, int n) {
        if (v instanceof Float8Vector || v instanceof BigIntVector || v instanceof IntVector || v instanceof VarCharVector) {
            // Straight from the buffers: Arrow's getters check bounds and reference counts per value.
            // Rows without nulls (the usual case) skip the validity bits. Looked at for these rows only: the
            // vector's null count reads the bits of the whole batch, once per slice.
            MemorySegment valid = Segments.of(v.getValidityBuffer());
            boolean covers = valid.byteSize() >= ((long) from + n + 7) >>> 3;
            if (covers ? allSet(valid, from, n) : v.getNullCount() == 0) {
                valid = null;
            }
            MemorySegment data = Segments.of(v.getDataBuffer());
            switch (v) {
                case Float8Vector x -> {
                    for (int i = 0; i < n; i++) {
                        int r = from + i;
                        values[i][j] = isSet(valid, r) ? data.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, r) : null;
                    }
                }
                case BigIntVector x -> {
                    for (int i = 0; i < n; i++) {
                        int r = from + i;
                        values[i][j] = isSet(valid, r) ? data.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, r) : null;
                    }
                }
                case IntVector x -> {
                    for (int i = 0; i < n; i++) {
                        int r = from + i;
                        values[i][j] = isSet(valid, r) ? data.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, r) : null;
                    }
                }
                default -> readStrings(Segments.of(v.getOffsetBuffer()), data, valid, values, j, from, n);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            values[i][j] = value(v, from + i);
        }
    }

    /** Whether bits {@code [from, from + n)} of {@code bits} (which holds them) are all set. */
    static boolean allSet(MemorySegment bits, int from, int n) {
        int i = from;
        int end = from + n;
        if (n <= 0) {
            return true;
        }
        for (; i < end && (i & 63) != 0; i++) {
            if (((bits.get(ValueLayout.JAVA_BYTE, i >>> 3) >> (i & 7)) & 1) == 0) {
                return false;
            }
        }
        for (; i + 64 <= end; i += 64) {
            if (bits.get(ValueLayout.JAVA_LONG_UNALIGNED, i >>> 3) != -1L) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (((bits.get(ValueLayout.JAVA_BYTE, i >>> 3) >> (i & 7)) & 1) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether row {@code i} is not null; {@code bits} null means the column has no nulls. */
    private static boolean isSet(MemorySegment bits, int i) {
        return bits == null || ((bits.get(ValueLayout.JAVA_BYTE, i >>> 3) >> (i & 7)) & 1) != 0;
    }

    /**
     * Strings decoded with {@code new String(bytes, UTF_8)} (the JDK's ASCII fast path) from one heap copy of the
     * rows' data, rather than a copy and a {@code CharsetDecoder} per value through Arrow's {@code Text}.
     */
    private static void readStrings(MemorySegment offsets, MemorySegment data, MemorySegment valid, Object[][] values,
                                    int j, int from, int n) {
        if (n == 0) {
            return;
        }
        int first = offsets.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, from);
        int end = offsets.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, from + n);
        byte[] bytes = new byte[end - first];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, first, bytes, 0, bytes.length);
        int start = first;
        for (int i = 0; i < n; i++) {
            int next = offsets.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, from + i + 1);
            values[i][j] = isSet(valid, from + i)
                    ? new String(bytes, start - first, next - start, StandardCharsets.UTF_8) : null;
            start = next;
        }
    }

    /** The Java value of row {@code i} of {@code v}: strings as {@code String}, the rest as Arrow gives them. */
    public static Object value(org.apache.arrow.vector.ValueVector v, int i) {
        if (v.isNull(i)) {
            return null;
        }
        return switch (v) {
            case VarCharVector s -> new String(s.get(i), StandardCharsets.UTF_8);
            case org.apache.arrow.vector.DateDayVector d -> java.time.LocalDate.ofEpochDay(d.get(i));
            case org.apache.arrow.vector.DateMilliVector d ->
                    java.time.LocalDate.ofEpochDay(Math.floorDiv(d.get(i), 86_400_000L));
            case org.apache.arrow.vector.TimeStampVector t -> {
                ArrowType.Timestamp type = (ArrowType.Timestamp) t.getField().getType();
                long raw = t.get(i);
                java.time.Instant instant = switch (type.getUnit()) {
                    case SECOND -> java.time.Instant.ofEpochSecond(raw);
                    case MILLISECOND -> java.time.Instant.ofEpochMilli(raw);
                    case MICROSECOND -> java.time.Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000L),
                            Math.floorMod(raw, 1_000_000L) * 1000L);
                    case NANOSECOND -> java.time.Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000_000L),
                            Math.floorMod(raw, 1_000_000_000L));
                };
                yield type.getTimezone() == null ? java.time.LocalDateTime.ofInstant(instant, java.time.ZoneOffset.UTC)
                        : instant;
            }
            case org.apache.arrow.vector.complex.ListVector l -> {
                org.apache.arrow.vector.FieldVector data = l.getDataVector();
                int from = l.getElementStartIndex(i);
                int to = l.getElementEndIndex(i);
                List<Object> out = new ArrayList<>(to - from);
                for (int k = from; k < to; k++) {
                    out.add(value(data, k));
                }
                yield java.util.Collections.unmodifiableList(out);
            }
            case org.apache.arrow.vector.complex.StructVector st -> {
                LinkedHashMap<String, Object> out = new LinkedHashMap<>();
                for (org.apache.arrow.vector.FieldVector child : st.getChildrenFromFields()) {
                    out.put(child.getName(), value(child, i));
                }
                yield java.util.Collections.unmodifiableMap(out);
            }
            default -> {
                Object o = v.getObject(i);
                yield o instanceof Text t ? t.toString() : o;
            }
        };
    }

    /**
     * A batch of {@code rows}, columns in first-seen order, types from the first non-null value of each column
     * (or from {@code hint} when it has the column). Fails naming {@code operator}, the column and the row when
     * a value's type does not fit its column.
     */
    public static VectorSchemaRoot fromRows(List<Row> rows, BufferAllocator allocator, String operator, Schema hint) {
        if (!rows.isEmpty()) {
            VectorSchemaRoot root = fromAlignedRows(rows, allocator, operator, hint);
            if (root != null) {
                return root;
            }
        }
        LinkedHashMap<String, ArrowType> seen = new LinkedHashMap<>();
        Map<String, Field> nested = new HashMap<>();
        for (Row r : rows) {
            RowSchema s = RowSchema.of(r);
            for (int j = 0; j < s.size(); j++) {
                Object value = RowSchema.value(r, j);
                if (value != null && seen.get(s.name(j)) == null) {
                    seen.put(s.name(j), typeOf(value, s.name(j), operator));
                    if (value instanceof List<?> || value instanceof Map<?, ?>) {
                        nested.put(s.name(j), NestedValues.fieldOf(s.name(j), value, operator));
                    }
                } else {
                    seen.putIfAbsent(s.name(j), null);
                }
            }
        }
        String[] names = seen.keySet().toArray(String[]::new);
        ArrowType[] types = seen.values().toArray(ArrowType[]::new);
        widenDecimals(rows, RowSchema.of(names), types);
        VectorSchemaRoot root = create(names, types, nested, allocator, hint);
        try {
            write(rows, root, RowSchema.of(names), operator, false);
            return root;
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /**
     * The batch when every row has the first row's column names in its order (the usual case: one function,
     * one {@code Row.of} call), else null. Each column's type comes from its first non-null value, found without
     * walking the rest of the rows.
     */
    private static VectorSchemaRoot fromAlignedRows(List<Row> rows, BufferAllocator allocator, String operator,
                                                    Schema hint) {
        int n = rows.size();
        RowSchema columns = RowSchema.of(rows.getFirst());
        ArrowType[] types = new ArrowType[columns.size()];
        Map<String, Field> nested = new HashMap<>();
        for (int j = 0; j < types.length; j++) {
            for (int i = 0; i < n && types[j] == null; i++) {
                Row r = rows.get(i);
                if (!columns.sameNames(RowSchema.of(r))) {
                    return null;
                }
                Object value = RowSchema.value(r, j);
                if (value != null) {
                    types[j] = typeOf(value, columns.name(j), operator);
                    if (value instanceof List<?> || value instanceof Map<?, ?>) {
                        nested.put(columns.name(j), NestedValues.fieldOf(columns.name(j), value, operator));
                    }
                }
            }
        }
        String[] names = columns.columns().toArray(String[]::new);
        widenDecimals(rows, columns, types);
        VectorSchemaRoot root = create(names, types, nested, allocator, hint);
        try {
            if (write(rows, root, columns, operator, true)) {
                return root;
            }
            root.close();
            return null;
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /** An unallocated batch of {@code names}; a column without a type takes {@code hint}'s, else utf8. */
    static VectorSchemaRoot create(String[] names, ArrowType[] types, BufferAllocator allocator, Schema hint) {
        return create(names, types, Map.of(), allocator, hint);
    }

    /** {@link #create}, with the fields of list and struct columns (their children) in {@code nested}. */
    static VectorSchemaRoot create(String[] names, ArrowType[] types, Map<String, Field> nested,
                                   BufferAllocator allocator, Schema hint) {
        List<Field> fields = new ArrayList<>(names.length);
        for (int j = 0; j < names.length; j++) {
            String name = names[j];
            ArrowType t = types[j];
            ArrowType hinted = hint == null ? null : hint.getFields().stream().filter(f -> f.getName().equals(name))
                    .map(Field::getType).findFirst().orElse(null);
            if (t == null || hinted != null && keepsHint(t, hinted)) {
                t = hinted != null ? hinted : t;
            }
            Field hintedField = hinted == null ? null : hint.findField(name);
            if (t instanceof ArrowType.List || t instanceof ArrowType.Struct) {
                fields.add(hintedField != null && t.equals(hinted) ? hintedField : nested.get(name));
                continue;
            }
            fields.add(new Field(name, FieldType.nullable(t == null ? ArrowType.Utf8.INSTANCE : t), null));
        }
        return VectorSchemaRoot.create(new Schema(fields), allocator);
    }

    /**
     * Whether a column whose values suggest {@code inferred} keeps its input's type {@code hinted} (a row function
     * that passes a decimal, date or timestamp through keeps its precision, scale, unit and zone).
     */
    private static boolean keepsHint(ArrowType inferred, ArrowType hinted) {
        return inferred instanceof ArrowType.Decimal && hinted instanceof ArrowType.Decimal
                || inferred instanceof ArrowType.Timestamp && hinted instanceof ArrowType.Timestamp
                || inferred instanceof ArrowType.Date && hinted instanceof ArrowType.Date;
    }

    /** Decimal columns inferred from their first value take the largest scale any row has. */
    private static void widenDecimals(List<Row> rows, RowSchema columns, ArrowType[] types) {
        for (int j = 0; j < types.length; j++) {
            if (!(types[j] instanceof ArrowType.Decimal d)) {
                continue;
            }
            int scale = d.getScale();
            String name = columns.name(j);
            for (Row r : rows) {
                RowSchema s = RowSchema.of(r);
                int k = s == columns || columns.sameNames(s) ? j : s.indexOf(name);
                if (k >= 0 && RowSchema.value(r, k) instanceof java.math.BigDecimal b) {
                    scale = Math.max(scale, b.scale());
                }
            }
            types[j] = new ArrowType.Decimal(38, Math.min(38, scale), 128);
        }
    }

    /**
     * Writes {@code rows} into {@code root}'s vectors (named as {@code columns}), a row at a time so each row is
     * touched once: by position when a row has exactly the columns, by name otherwise (absent = null). With
     * {@code alignedOnly}, stops and returns false at the first row that does not have exactly the columns.
     */
    private static boolean write(List<Row> rows, VectorSchemaRoot root, RowSchema columns, String operator,
                                 boolean alignedOnly) {
        int n = rows.size();
        List<FieldVector> vectors = root.getFieldVectors();
        int c = vectors.size();
        ColumnWriter[] writers = new ColumnWriter[c];
        for (int j = 0; j < c; j++) {
            writers[j] = ColumnWriter.of(vectors.get(j), operator, n);
        }
        RowSchema aligned = columns;
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            RowSchema s = RowSchema.of(r);
            boolean byPosition = s == aligned || columns.sameNames(s);
            if (byPosition) {
                aligned = s;
            } else if (alignedOnly) {
                return false;
            }
            for (int j = 0; j < c; j++) {
                int k = byPosition ? j : s.indexOf(columns.name(j));
                Object value = k < 0 ? null : RowSchema.value(r, k);
                if (value != null) {
                    writers[j].set(i, value);
                }
            }
        }
        for (ColumnWriter w : writers) {
            w.finish(n);
        }
        root.setRowCount(n);
        return true;
    }

    static ArrowType typeOf(Object v, String column, String operator) {
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
            case java.math.BigDecimal d -> new ArrowType.Decimal(38, Math.max(0, d.scale()), 128);
            case List<?> l -> ArrowType.List.INSTANCE;
            case Map<?, ?> m -> ArrowType.Struct.INSTANCE;
            case java.time.LocalDate d -> new ArrowType.Date(org.apache.arrow.vector.types.DateUnit.DAY);
            case java.time.Instant t -> new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MICROSECOND, "UTC");
            case java.time.OffsetDateTime t -> new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MICROSECOND, "UTC");
            case java.time.ZonedDateTime t -> new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MICROSECOND, "UTC");
            case java.time.LocalDateTime t -> new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MICROSECOND, null);
            default -> throw new WeftException(ErrorType.USER_ERROR, "operator " + operator + ": column '" + column
                    + "' has a value of unsupported type " + v.getClass().getName()
                    + " (use Boolean, Integer, Long, Float, Double, String, byte[], BigDecimal, LocalDate, Instant,"
                    + " LocalDateTime, List or Map)");
        };
    }
}
