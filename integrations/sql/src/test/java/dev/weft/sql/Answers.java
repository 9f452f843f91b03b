package dev.weft.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.data.Dataset;
import dev.weft.data.Row;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Query answers as lists of rows. Two exact decimals must be equal in value (scales may differ); a floating value
 * (on either side) must agree within a relative 1e-9; integers of any width compare as numbers.
 */
final class Answers {
    private Answers() {
    }

    static List<List<Object>> of(Dataset ds, List<String> columns) {
        List<List<Object>> rows = new ArrayList<>();
        for (Row r : ds.takeAll()) {
            List<Object> row = new ArrayList<>();
            for (String c : columns) {
                row.add(normalize(r.get(c)));
            }
            rows.add(row);
        }
        return rows;
    }

    static List<List<Object>> of(Connection duck, String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(normalize(rs.getObject(i)));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Exact decimals as they are, other numbers as doubles (SQL engines differ in integer widths). */
    static Object normalize(Object v) {
        return switch (v) {
            case null -> null;
            case BigInteger b -> b.doubleValue();
            case BigDecimal b -> b;
            case Number n -> n.doubleValue();
            default -> v;
        };
    }

    static void assertSame(String what, List<List<Object>> expected, List<List<Object>> actual, boolean ordered) {
        List<List<Object>> e = new ArrayList<>(expected);
        List<List<Object>> a = new ArrayList<>(actual);
        if (!ordered) {
            e.sort(Comparator.comparing(Answers::key));
            a.sort(Comparator.comparing(Answers::key));
        }
        assertEquals(e.size(), a.size(), what + ": row counts differ\nexpected " + head(e) + "\nactual   " + head(a));
        for (int i = 0; i < e.size(); i++) {
            List<Object> er = e.get(i);
            List<Object> ar = a.get(i);
            assertEquals(er.size(), ar.size(), what + ": column counts differ at row " + i);
            for (int c = 0; c < er.size(); c++) {
                if (!close(er.get(c), ar.get(c))) {
                    fail(what + ": row " + i + " column " + c + " differs: expected " + er + " but was " + ar);
                }
            }
        }
    }

    private static boolean close(Object e, Object a) {
        if (e instanceof BigDecimal x && a instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        if (e instanceof BigDecimal x && a instanceof Double) {
            return close(x.doubleValue(), a);
        }
        if (e instanceof Double && a instanceof BigDecimal y) {
            return close(e, y.doubleValue());
        }
        if (e instanceof Double x && a instanceof Double y) {
            return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.max(Math.abs(x), Math.abs(y)));
        }
        return java.util.Objects.equals(e, a);
    }

    private static String key(List<Object> row) {
        StringBuilder b = new StringBuilder();
        for (Object v : row) {
            Object x = v instanceof BigDecimal d ? (Object) d.doubleValue() : v;
            b.append(x instanceof Double d ? String.format(Locale.ROOT, "%.6e", d) : String.valueOf(x)).append('\u0001');
        }
        return b.toString();
    }

    private static String head(List<List<Object>> rows) {
        return rows.size() <= 5 ? rows.toString() : rows.subList(0, 5) + " ...";
    }
}
