package dev.weft.data;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import dev.weft.data.internal.RowSchema;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * One row of a dataset, as seen by the row-at-a-time operations ({@code map}, {@code flatMap},
 * {@code filter(RowPredicate)}, {@code take}). Immutable; column order is preserved. Values are
 * {@code Boolean}, {@code Integer}, {@code Long}, {@code Float}, {@code Double}, {@code String}, {@code byte[]},
 * {@code BigDecimal} (decimals), {@code LocalDate} (dates), {@code Instant} (timestamps with a zone),
 * {@code LocalDateTime} (timestamps without one), {@code List} (lists), {@code Map} (structs) or {@code null}. Row operations box every value: use
 * expressions or {@code mapBatches} on hot paths.
 */
public final class Row {
    static {
        RowSchema.bindRows(new RowSchema.RowAccess() {
            @Override
            public Row row(RowSchema schema, Object[] values) {
                return new Row(schema, values);
            }

            @Override
            public RowSchema schema(Row row) {
                return row.schema;
            }

            @Override
            public Object value(Row row, int column) {
                return row.values[column];
            }
        });
    }

    /** Shared by all rows of a batch; never copied per row. */
    private final RowSchema schema;
    private final Object[] values;

    private Row(RowSchema schema, Object[] values) {
        this.schema = schema;
        this.values = values;
    }

    /** A row with {@code values}' columns in its iteration order. */
    public static Row of(Map<String, ?> values) {
        String[] names = new String[values.size()];
        Object[] vals = new Object[names.length];
        int i = 0;
        for (Map.Entry<String, ?> e : values.entrySet()) {
            if (i == names.length) {
                throw new IllegalArgumentException("Row.of: the map grew while it was read");
            }
            if (e.getKey() == null) {
                throw new IllegalArgumentException("Row.of: column name at position " + i + " is null");
            }
            names[i] = e.getKey();
            vals[i++] = e.getValue();
        }
        if (i != names.length) {
            throw new IllegalArgumentException("Row.of: the map shrank while it was read");
        }
        RowSchema schema = RowSchema.of(names);
        if (schema == null) {
            throw new IllegalArgumentException("Row.of: the map has a column name twice: " + values.keySet());
        }
        return new Row(schema, vals);
    }

    /** A row from alternating names and values: {@code Row.of("id", 1L, "name", "a")}. */
    public static Row of(Object... namesAndValues) {
        // Kept small so that it inlines into the user's function (and its varargs array need not be allocated).
        int n = namesAndValues.length >> 1;
        if (n > 0 && (namesAndValues.length & 1) == 0 && namesAndValues[0] instanceof String first) {
            RowSchema last = RECENT_SCHEMAS[(first.hashCode() + n) & (RECENT_SCHEMAS.length - 1)];
            if (last != null && last.hasNames(namesAndValues)) {
                // A function building one row per input row passes the same literal names every time: one schema.
                Object[] vals = new Object[n];
                for (int i = 0; i < n; i++) {
                    vals[i] = namesAndValues[2 * i + 1];
                }
                return new Row(last, vals);
            }
        }
        return ofNew(namesAndValues);
    }

    /** {@link #of(Object...)} for names not seen last: checks them and makes (and remembers) their schema. */
    private static Row ofNew(Object[] namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Row.of needs name/value pairs, got " + namesAndValues.length + " arguments");
        }
        int n = namesAndValues.length / 2;
        Object[] vals = new Object[n];
        int slot = n > 0 && namesAndValues[0] instanceof String first
                ? (first.hashCode() + n) & (RECENT_SCHEMAS.length - 1) : 0;
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            if (!(namesAndValues[2 * i] instanceof String name)) {
                throw new IllegalArgumentException("column name at argument " + 2 * i + " must be a String, got "
                        + namesAndValues[2 * i]);
            }
            names[i] = name;
            vals[i] = namesAndValues[2 * i + 1];
        }
        RowSchema schema = RowSchema.of(names);
        if (schema == null) {
            return ofRepeated(namesAndValues);
        }
        RECENT_SCHEMAS[slot] = schema;
        return new Row(schema, vals);
    }

    /**
     * The schemas {@link #of(Object...)} made last, by first name and width: a function building one row per input
     * row passes the same literal names every time, so it finds its schema here. Shared by all threads without
     * locks: a schema is immutable (final fields), so a thread sees either a whole one or a stale slot, and a miss
     * only costs building the schema again.
     */
    private static final RowSchema[] RECENT_SCHEMAS = new RowSchema[64];

    /** A name given twice keeps its first position and its last value, as putting the pairs into a map would. */
    private static Row ofRepeated(Object[] namesAndValues) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return of(m);
    }

    /** The value of {@code column}; fails naming the column and the row's columns when it is absent. */
    public Object get(String column) {
        int i = schema.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("row has no column '" + column + "'; columns: " + schema.columns());
        }
        return values[i];
    }

    public long getLong(String column) {
        return ((Number) nonNull(column)).longValue();
    }

    public int getInt(String column) {
        return ((Number) nonNull(column)).intValue();
    }

    public double getDouble(String column) {
        return ((Number) nonNull(column)).doubleValue();
    }

    public boolean getBoolean(String column) {
        return (Boolean) nonNull(column);
    }

    public String getString(String column) {
        Object v = get(column);
        return v == null ? null : v.toString();
    }

    /** A date column's value: {@code LocalDate} (a timestamp gives its UTC day); null stays null. */
    public LocalDate getDate(String column) {
        return switch (get(column)) {
            case null -> null;
            case LocalDate d -> d;
            case LocalDateTime t -> t.toLocalDate();
            case Instant t -> LocalDate.ofInstant(t, ZoneOffset.UTC);
            case Object o -> throw wrongType(column, o, "a date");
        };
    }

    /** A timestamp column's value as an {@code Instant} (a zone-less timestamp or a date is taken at UTC). */
    public Instant getTimestamp(String column) {
        return switch (get(column)) {
            case null -> null;
            case Instant t -> t;
            case LocalDateTime t -> t.toInstant(ZoneOffset.UTC);
            case LocalDate d -> d.atStartOfDay(ZoneOffset.UTC).toInstant();
            case Object o -> throw wrongType(column, o, "a timestamp");
        };
    }

    /** A timestamp column's value as UTC wall-clock time. */
    public LocalDateTime getLocalDateTime(String column) {
        Instant t = getTimestamp(column);
        return t == null ? null : LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    /** A decimal column's value (an integer column's too); null stays null. */
    public BigDecimal getDecimal(String column) {
        return switch (get(column)) {
            case null -> null;
            case BigDecimal d -> d;
            case Long l -> BigDecimal.valueOf(l);
            case Integer i -> BigDecimal.valueOf(i);
            case Double d -> BigDecimal.valueOf(d);
            case Object o -> throw wrongType(column, o, "a decimal");
        };
    }

    /** A list column's value (elements as a row's values are); null stays null. */
    @SuppressWarnings("unchecked")
    public List<Object> getList(String column) {
        return switch (get(column)) {
            case null -> null;
            case List<?> l -> (List<Object>) l;
            case Object o -> throw wrongType(column, o, "a list");
        };
    }

    /** A struct column's value as a map of field name to value, in field order; null stays null. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> getStruct(String column) {
        return switch (get(column)) {
            case null -> null;
            case Map<?, ?> m -> (Map<String, Object>) m;
            case Object o -> throw wrongType(column, o, "a struct");
        };
    }

    private static IllegalArgumentException wrongType(String column, Object value, String wanted) {
        return new IllegalArgumentException("column '" + column + "' holds a " + value.getClass().getSimpleName()
                + " (" + value + "), not " + wanted);
    }

    public boolean isNull(String column) {
        return get(column) == null;
    }

    /** The column names in order, unmodifiable. */
    public Set<String> columns() {
        return schema.columns();
    }

    /** The row as an unmodifiable map in column order (a view, not a copy). */
    public Map<String, Object> asMap() {
        return new MapView();
    }

    /** A copy with {@code column} set to {@code value} (added at the end when new). */
    public Row with(String column, Object value) {
        int i = schema.indexOf(column);
        if (i >= 0) {
            Object[] v = values.clone();
            v[i] = value;
            return new Row(schema, v);
        }
        Object[] v = Arrays.copyOf(values, values.length + 1);
        v[values.length] = value;
        return new Row(schema.with(column), v);
    }

    private Object nonNull(String column) {
        Object v = get(column);
        if (v == null) {
            throw new NullPointerException("column '" + column + "' is null in this row");
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Row other) || other.values.length != values.length) {
            return false;
        }
        boolean aligned = schema.sameNames(other.schema);
        for (int i = 0; i < values.length; i++) {
            int j = aligned ? i : other.schema.indexOf(schema.name(i));
            if (j < 0 || !same(values[i], other.values[j])) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(Object a, Object b) {
        return a instanceof byte[] x && b instanceof byte[] y ? Arrays.equals(x, y) : Objects.equals(a, b);
    }

    @Override
    public int hashCode() {
        return schema.namesHash();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Object v = values[i];
            sb.append(schema.name(i)).append('=').append(v instanceof byte[] b ? "<" + b.length + " bytes>" : v);
        }
        return sb.append('}').toString();
    }

    /** {@link #asMap()}: read-only, in column order, equal to any map of the same entries. */
    private final class MapView extends AbstractMap<String, Object> {
        @Override
        public int size() {
            return values.length;
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String s && schema.indexOf(s) >= 0;
        }

        @Override
        public Object get(Object key) {
            int i = key instanceof String s ? schema.indexOf(s) : -1;
            return i < 0 ? null : values[i];
        }

        @Override
        public Set<String> keySet() {
            return schema.columns();
        }

        @Override
        public Set<Map.Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return values.length;
                }

                @Override
                public Iterator<Map.Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int i;

                        @Override
                        public boolean hasNext() {
                            return i < values.length;
                        }

                        @Override
                        public Map.Entry<String, Object> next() {
                            if (i >= values.length) {
                                throw new NoSuchElementException();
                            }
                            int k = i++;
                            return new AbstractMap.SimpleImmutableEntry<>(schema.name(k), values[k]);
                        }
                    };
                }
            };
        }
    }
}
