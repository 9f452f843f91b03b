package dev.weft.connectors.internal.filter;

import java.util.Map;

/**
 * Evaluates a {@link Pred} where some columns are known constants (hive partition values of a file). Answers
 * whether any row might match: {@code false} only when the known columns rule every row out.
 */
public final class ConstantEvaluator {
    private ConstantEvaluator() {}

    private enum Tri { TRUE, FALSE, UNKNOWN }

    /** Whether rows of a file with these partition {@code values} (column → Long/Double/String/null) might match. */
    public static boolean mightMatch(Pred p, Map<String, Object> values) {
        return eval(Pred.negationNormalForm(p), values) != Tri.FALSE;
    }

    private static Tri eval(Pred p, Map<String, Object> values) {
        switch (p) {
            case Pred.Compare c -> {
                if (!values.containsKey(c.column())) {
                    return Tri.UNKNOWN;
                }
                Object v = values.get(c.column());
                if (v == null) {
                    return Tri.FALSE;
                }
                Integer cmp = compare(v, c.literal());
                if (cmp == null) {
                    return Tri.UNKNOWN;
                }
                boolean r = switch (c.op()) {
                    case EQ -> cmp == 0;
                    case NE -> cmp != 0;
                    case LT -> cmp < 0;
                    case LE -> cmp <= 0;
                    case GT -> cmp > 0;
                    case GE -> cmp >= 0;
                };
                return r ? Tri.TRUE : Tri.FALSE;
            }
            case Pred.IsNull n -> {
                return !values.containsKey(n.column()) ? Tri.UNKNOWN : values.get(n.column()) == null ? Tri.TRUE : Tri.FALSE;
            }
            case Pred.IsNotNull n -> {
                return !values.containsKey(n.column()) ? Tri.UNKNOWN : values.get(n.column()) != null ? Tri.TRUE : Tri.FALSE;
            }
            case Pred.And a -> {
                Tri r = Tri.TRUE;
                for (Pred c : a.children()) {
                    Tri t = eval(c, values);
                    if (t == Tri.FALSE) {
                        return Tri.FALSE;
                    }
                    if (t == Tri.UNKNOWN) {
                        r = Tri.UNKNOWN;
                    }
                }
                return r;
            }
            case Pred.Or o -> {
                Tri r = Tri.FALSE;
                for (Pred c : o.children()) {
                    Tri t = eval(c, values);
                    if (t == Tri.TRUE) {
                        return Tri.TRUE;
                    }
                    if (t == Tri.UNKNOWN) {
                        r = Tri.UNKNOWN;
                    }
                }
                return r;
            }
            case Pred.Not n -> {
                Tri t = eval(n.child(), values);
                return t == Tri.TRUE ? Tri.FALSE : t == Tri.FALSE ? Tri.TRUE : Tri.UNKNOWN;
            }
            case Pred.Opaque o -> {
                return Tri.UNKNOWN;
            }
        }
    }

    private static Integer compare(Object value, Object literal) {
        if (value instanceof Number a && literal instanceof Number b) {
            if (isIntegral(a) && isIntegral(b)) {
                return Long.compare(a.longValue(), b.longValue());
            }
            return Double.compare(a.doubleValue(), b.doubleValue());
        }
        if (value instanceof String a && literal instanceof String b) {
            return a.compareTo(b);
        }
        if (value instanceof Boolean a && literal instanceof Boolean b) {
            return Boolean.compare(a, b);
        }
        return null;
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    }
}
