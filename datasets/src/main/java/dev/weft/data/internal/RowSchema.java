package dev.weft.data.internal;

import dev.weft.data.Row;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The column names of {@link Row}s, in order, with a name → position lookup. One schema is shared by every row of a
 * batch, so such a row is just this table plus an {@code Object[]} of values, and code that sees many rows of one
 * schema (or of schemas with the same names) can work by position instead of by name. Immutable and thread-safe;
 * never holds two columns of one name. Cheap to make: the hash table for wide rows is built on first use, so a
 * user function building one small row per input row pays one small object for it, and nothing is shared
 * between threads.
 */
public final class RowSchema {
    /** Up to this many columns a name is found by a scan, beyond it through a hash table. */
    private static final int SCAN = 8;

    /** What {@link Row} lets this package do with its private state: make rows and read them by position. */
    public interface RowAccess {
        Row row(RowSchema schema, Object[] values);

        RowSchema schema(Row row);

        Object value(Row row, int column);
    }

    private static RowAccess rows;

    private final String[] names;
    private final int namesHash;
    /** Built on first use; racy but benign, as the map is immutable (final fields all the way down). */
    private Map<String, Integer> index;
    private Set<String> columns;
    /** The schema {@link #with} made last (a map that adds one column per row reuses it); racy but benign. */
    private RowSchema extended;

    private RowSchema(String[] names, int namesHash, Map<String, Integer> index) {
        this.names = names;
        this.namesHash = namesHash;
        this.index = index;
    }

    /** Called once by {@link Row}'s initializer. */
    public static synchronized void bindRows(RowAccess factory) {
        if (rows != null) {
            throw new IllegalStateException("Row's factory is already bound");
        }
        rows = factory;
    }

    /**
     * The schema of {@code names} (non-null; the caller checks and hands the array over), or null when a name is
     * repeated.
     */
    public static RowSchema of(String[] names) {
        int h = 0;
        for (String n : names) {
            h += n.hashCode();
        }
        if (names.length <= SCAN) {
            for (int i = 1; i < names.length; i++) {
                for (int j = 0; j < i; j++) {
                    if (names[i].equals(names[j])) {
                        return null;
                    }
                }
            }
            return new RowSchema(names, h, null);
        }
        Map<String, Integer> index = indexOf(names);
        return index == null ? null : new RowSchema(names, h, index);
    }

    /** Name → position, or null when a name is repeated. */
    private static Map<String, Integer> indexOf(String[] names) {
        HashMap<String, Integer> index = HashMap.newHashMap(names.length);
        for (int i = 0; i < names.length; i++) {
            if (index.putIfAbsent(names[i], i) != null) {
                return null;
            }
        }
        return Map.copyOf(index);
    }

    /** A row of this schema over {@code values} (one per column, not copied: the caller hands it over). */
    public Row row(Object[] values) {
        if (values.length != names.length) {
            throw new IllegalArgumentException("row of " + names.length + " columns " + columns() + " given "
                    + values.length + " values");
        }
        return access().row(this, values);
    }

    /** The schema of {@code row}: rows of one batch share one. */
    public static RowSchema of(Row row) {
        return access().schema(row);
    }

    /** The value of column {@code i} of {@code row}, whose schema is {@link #of(Row)}. */
    public static Object value(Row row, int i) {
        return access().value(row, i);
    }

    private static RowAccess access() {
        RowAccess a = rows;
        if (a == null) {
            try {
                Class.forName(Row.class.getName(), true, Row.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = rows;
        }
        return a;
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    /** The position of {@code name}, or -1. */
    public int indexOf(String name) {
        // Names are often literals in user code and the same String objects: try identity before equality.
        for (int i = 0; i < names.length; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        if (names.length <= SCAN) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }
        Map<String, Integer> m = index;
        if (m == null) {
            m = indexOf(names);
            index = m;
        }
        Integer i = m.get(name);
        return i == null ? -1 : i;
    }

    /** The column names in order, unmodifiable. */
    public Set<String> columns() {
        Set<String> c = columns;
        if (c == null) {
            c = new Columns();
            columns = c;
        }
        return c;
    }

    /** Sum of the names' hash codes: the hash code of {@link #columns()}. */
    public int namesHash() {
        return namesHash;
    }

    /**
     * Whether the names at the even positions of {@code namesAndValues} are this schema's names, as the very same
     * String objects (identity: a cheap test that literal names passed again qualify for).
     */
    public boolean hasNames(Object[] namesAndValues) {
        if (namesAndValues.length != 2 * names.length) {
            return false;
        }
        for (int i = 0; i < names.length; i++) {
            if (namesAndValues[2 * i] != names[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code other} has the same names in the same order. */
    public boolean sameNames(RowSchema other) {
        return other == this || (other.namesHash == namesHash && Arrays.equals(other.names, names));
    }

    /** This schema with {@code name} (absent from it) added at the end. */
    public RowSchema with(String name) {
        RowSchema e = extended;
        if (e != null && e.names.length == names.length + 1 && e.names[names.length].equals(name)) {
            return e;
        }
        String[] n = Arrays.copyOf(names, names.length + 1);
        n[names.length] = name;
        RowSchema s = of(n);
        if (s == null) {
            throw new IllegalArgumentException("column '" + name + "' is already in " + columns());
        }
        extended = s;
        return s;
    }

    @Override
    public String toString() {
        return columns().toString();
    }

    /** The names as an ordered, unmodifiable set (equal to any set of the same names, as {@link Set} requires). */
    private final class Columns extends AbstractSet<String> {

        @Override
        public Iterator<String> iterator() {
            return new Iterator<>() {
                private int i;

                @Override
                public boolean hasNext() {
                    return i < names.length;
                }

                @Override
                public String next() {
                    if (i >= names.length) {
                        throw new NoSuchElementException();
                    }
                    return names[i++];
                }
            };
        }

        @Override
        public int size() {
            return names.length;
        }

        @Override
        public boolean contains(Object o) {
            return o instanceof String name && indexOf(name) >= 0;
        }
    }
}
