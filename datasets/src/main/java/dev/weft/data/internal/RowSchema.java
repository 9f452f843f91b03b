package dev.weft.data.internal;

import dev.weft.data.Row;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The column names of {@link Row}s, in order, with a name → position table. One schema is shared by every row of a
 * batch (and by rows built with the same names one after another), so a row is just this table plus an
 * {@code Object[]} of values, and code that sees many rows of one schema can work by position instead of by name.
 * Immutable and thread-safe; never holds two columns of one name.
 */
public final class RowSchema {
    /** What {@link Row} lets this package do with its private state: make rows and read them by position. */
    public interface RowAccess {
        Row row(RowSchema schema, Object[] values);

        RowSchema schema(Row row);

        Object value(Row row, int column);
    }

    private static RowAccess rows;

    /**
     * The schema of the last {@link #of} call. Rows built in a loop with the same names then share one schema; the
     * field is racy on purpose: a schema's fields are final, so any thread sees a whole one, and a miss only costs
     * a new schema.
     */
    private static RowSchema last;

    private final String[] names;
    private final HashMap<String, Integer> index;
    private final Set<String> columns;
    private final int namesHash;
    /** The schema {@link #with} made last, with the name it added (a map that adds one column per row reuses it). */
    private RowSchema extended;

    private RowSchema(String[] names, HashMap<String, Integer> index) {
        this.names = names;
        this.index = index;
        this.columns = new Columns();
        int h = 0;
        for (String n : names) {
            h += n.hashCode();
        }
        this.namesHash = h;
    }

    /** Called once by {@link Row}'s initializer. */
    public static synchronized void bindRows(RowAccess factory) {
        if (rows != null) {
            throw new IllegalStateException("Row's factory is already bound");
        }
        rows = factory;
    }

    /**
     * The schema of {@code names} (non-null; the caller checks), or null when a name is repeated. Returns the
     * schema of the previous call when the names are the same.
     */
    public static RowSchema of(String[] names) {
        RowSchema cached = last;
        if (cached != null && cached.hasNames(names)) {
            return cached;
        }
        RowSchema s = build(names.clone());
        if (s != null) {
            last = s;
        }
        return s;
    }

    /** A schema of {@code names}, or null when two are equal. */
    private static RowSchema build(String[] names) {
        HashMap<String, Integer> index = HashMap.newHashMap(names.length);
        for (int i = 0; i < names.length; i++) {
            if (index.putIfAbsent(names[i], i) != null) {
                return null;
            }
        }
        return new RowSchema(names, index);
    }

    /** A row of this schema over {@code values} (one per column, not copied: the caller hands it over). */
    public Row row(Object[] values) {
        if (values.length != names.length) {
            throw new IllegalArgumentException("row of " + names.length + " columns " + columns + " given "
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
        // Names are usually literals in user code and the same String objects: try identity before hashing.
        for (int i = 0; i < names.length; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    /** The column names in order, unmodifiable. */
    public Set<String> columns() {
        return columns;
    }

    /** Sum of the names' hash codes: the hash code of {@link #columns()}. */
    public int namesHash() {
        return namesHash;
    }

    /** Whether {@code other} has the same names in the same order. */
    public boolean sameNames(RowSchema other) {
        return other == this || (other.namesHash == namesHash && Arrays.equals(other.names, names));
    }

    private boolean hasNames(String[] other) {
        if (other.length != names.length) {
            return false;
        }
        for (int i = 0; i < names.length; i++) {
            if (other[i] != names[i] && !names[i].equals(other[i])) {
                return false;
            }
        }
        return true;
    }

    /** This schema with {@code name} (absent from it) added at the end. */
    public RowSchema with(String name) {
        RowSchema e = extended;
        if (e != null && e.names.length == names.length + 1 && e.names[names.length].equals(name)) {
            return e;
        }
        String[] n = Arrays.copyOf(names, names.length + 1);
        n[names.length] = name;
        RowSchema s = build(n);
        if (s == null) {
            throw new IllegalArgumentException("column '" + name + "' is already in " + columns);
        }
        extended = s;
        return s;
    }

    @Override
    public String toString() {
        return columns.toString();
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
            return index.containsKey(o);
        }
    }
}
