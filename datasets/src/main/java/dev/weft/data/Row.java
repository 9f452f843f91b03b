package dev.weft.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One row of a dataset, as seen by the row-at-a-time operations ({@code map}, {@code flatMap},
 * {@code filter(RowPredicate)}, {@code take}). Immutable; column order is preserved. Values are
 * {@code Boolean}, {@code Integer}, {@code Long}, {@code Float}, {@code Double}, {@code String}, {@code byte[]}
 * or {@code null} (other Arrow types appear as Arrow's Java objects). Row operations box every value: use
 * expressions or {@code mapBatches} on hot paths.
 */
public final class Row {
    private final Map<String, Object> values;

    private Row(Map<String, Object> values) {
        this.values = values;
    }

    /** A row with {@code values}' columns in its iteration order. */
    public static Row of(Map<String, ?> values) {
        return new Row(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }

    /** A row from alternating names and values: {@code Row.of("id", 1L, "name", "a")}. */
    public static Row of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Row.of needs name/value pairs, got " + namesAndValues.length + " arguments");
        }
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!(namesAndValues[i] instanceof String name)) {
                throw new IllegalArgumentException("column name at argument " + i + " must be a String, got " + namesAndValues[i]);
            }
            m.put(name, namesAndValues[i + 1]);
        }
        return new Row(Collections.unmodifiableMap(m));
    }

    /** The value of {@code column}; fails naming the column and the row's columns when it is absent. */
    public Object get(String column) {
        Object v = values.get(column);
        if (v == null && !values.containsKey(column)) {
            throw new IllegalArgumentException("row has no column '" + column + "'; columns: " + values.keySet());
        }
        return v;
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

    public boolean isNull(String column) {
        return get(column) == null;
    }

    public Set<String> columns() {
        return values.keySet();
    }

    /** The row as an unmodifiable map in column order. */
    public Map<String, Object> asMap() {
        return values;
    }

    /** A copy with {@code column} set to {@code value} (added at the end when new). */
    public Row with(String column, Object value) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>(values);
        m.put(column, value);
        return new Row(Collections.unmodifiableMap(m));
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
        if (!(o instanceof Row other) || other.values.size() != values.size()) {
            return false;
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object a = e.getValue();
            Object b = other.values.get(e.getKey());
            if (a instanceof byte[] x && b instanceof byte[] y ? !Arrays.equals(x, y) : !java.util.Objects.equals(a, b)) {
                return false;
            }
        }
        return values.keySet().equals(other.values.keySet());
    }

    @Override
    public int hashCode() {
        return values.keySet().hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        values.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(k).append('=').append(v instanceof byte[] b ? "<" + b.length + " bytes>" : v);
        });
        return sb.append('}').toString();
    }
}
