package dev.weft.bench.macro;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares check values between engines: integers exactly, floating-point values within a relative
 * {@value #RELATIVE_TOLERANCE} (engines sum in different orders), strings and booleans exactly, lists element by
 * element.
 */
final class Checks {

    static final double RELATIVE_TOLERANCE = 1e-9;

    private Checks() {
    }

    /** Normalizes numbers to Long or Double and lists to lists of normalized values, keeping key order. */
    static Map<String, Object> normalize(Map<String, ?> checks) {
        Map<String, Object> out = new LinkedHashMap<>();
        checks.forEach((k, v) -> out.put(k, normalizeValue(v)));
        return out;
    }

    private static Object normalizeValue(Object v) {
        if (v instanceof Float || v instanceof Double || v instanceof java.math.BigDecimal) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(normalizeValue(o));
            }
            return out;
        }
        return v;
    }

    /**
     * The differences between {@code expected} (from the first engine) and {@code actual}, one line each, naming
     * the check value and both numbers; empty if they agree.
     */
    static List<String> differences(Map<String, Object> expected, Map<String, Object> actual) {
        List<String> diffs = new ArrayList<>();
        for (var e : expected.entrySet()) {
            if (!actual.containsKey(e.getKey())) {
                diffs.add(e.getKey() + ": missing (expected " + e.getValue() + ")");
            } else {
                compare(e.getKey(), e.getValue(), actual.get(e.getKey()), diffs);
            }
        }
        for (String k : actual.keySet()) {
            if (!expected.containsKey(k)) {
                diffs.add(k + ": unexpected value " + actual.get(k));
            }
        }
        return diffs;
    }

    private static void compare(String path, Object a, Object b, List<String> diffs) {
        if (a instanceof Double x && b instanceof Number y || a instanceof Number && b instanceof Double) {
            double x1 = ((Number) a).doubleValue();
            double y1 = ((Number) b).doubleValue();
            double scale = Math.max(Math.abs(x1), Math.abs(y1));
            if (Math.abs(x1 - y1) > RELATIVE_TOLERANCE * scale) {
                diffs.add("%s: %s vs %s (relative difference %.3g > %.0g)".formatted(path, a, b,
                        Math.abs(x1 - y1) / scale, RELATIVE_TOLERANCE));
            }
        } else if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                diffs.add("%s: %d elements vs %d".formatted(path, la.size(), lb.size()));
                return;
            }
            for (int i = 0; i < la.size() && diffs.size() < 20; i++) {
                compare(path + "[" + i + "]", la.get(i), lb.get(i), diffs);
            }
        } else if (!a.equals(b)) {
            diffs.add("%s: %s vs %s".formatted(path, a, b));
        }
    }
}
