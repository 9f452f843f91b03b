package dev.weft.data.internal.print;

import dev.weft.data.Row;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Rows as an aligned text table, as {@code Dataset.show} prints them: a header of column names, a line of their
 * types, then one line per row; numbers right-aligned, long values cut at {@value #MAX_WIDTH} characters. Stateless.
 */
public final class TablePrinter {
    static final int MAX_WIDTH = 40;

    private TablePrinter() {
    }

    /** The table of {@code rows} (of {@code schema}); {@code more} adds a line saying that rows were left out. */
    public static String format(Schema schema, List<Row> rows, boolean more) {
        List<Field> fields = schema.getFields();
        int c = fields.size();
        String[] names = new String[c];
        String[] types = new String[c];
        boolean[] right = new boolean[c];
        int[] width = new int[c];
        for (int j = 0; j < c; j++) {
            names[j] = fields.get(j).getName();
            types[j] = typeName(fields.get(j).getType());
            right[j] = fields.get(j).getType() instanceof ArrowType.Int || fields.get(j).getType() instanceof ArrowType.FloatingPoint
                    || fields.get(j).getType() instanceof ArrowType.Decimal;
            width[j] = Math.max(names[j].length(), types[j].length());
        }
        List<String[]> cells = new ArrayList<>(rows.size());
        for (Row r : rows) {
            String[] line = new String[c];
            for (int j = 0; j < c; j++) {
                line[j] = cell(r.columns().contains(names[j]) ? r.get(names[j]) : null);
                width[j] = Math.max(width[j], line[j].length());
            }
            cells.add(line);
        }
        StringBuilder sb = new StringBuilder();
        line(sb, names, width, new boolean[c]);
        line(sb, types, width, new boolean[c]);
        String[] rule = new String[c];
        for (int j = 0; j < c; j++) {
            rule[j] = "-".repeat(width[j]);
        }
        line(sb, rule, width, new boolean[c]);
        for (String[] line : cells) {
            line(sb, line, width, right);
        }
        if (more) {
            sb.append("only the first ").append(rows.size()).append(" rows are shown\n");
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String[] values, int[] width, boolean[] right) {
        for (int j = 0; j < values.length; j++) {
            if (j > 0) {
                sb.append("  ");
            }
            String v = values[j];
            int pad = width[j] - v.length();
            if (right[j]) {
                sb.append(" ".repeat(pad)).append(v);
            } else {
                sb.append(v);
                if (j < values.length - 1) {
                    sb.append(" ".repeat(pad));
                }
            }
        }
        sb.append('\n');
    }

    static String cell(Object v) {
        String s = switch (v) {
            case null -> "null";
            case byte[] b -> "<" + b.length + " bytes>";
            case BigDecimal d -> d.toPlainString();
            case Map<?, ?> m -> m.toString();
            default -> v.toString();
        };
        s = s.replace('\n', ' ').replace('\t', ' ');
        return s.length() > MAX_WIDTH ? s.substring(0, MAX_WIDTH - 3) + "..." : s;
    }

    /** A short name for a column type: {@code int64}, {@code decimal(12,2)}, {@code timestamp[us, UTC]}, ... */
    public static String typeName(ArrowType t) {
        return switch (t) {
            case ArrowType.Int i -> (i.getIsSigned() ? "int" : "uint") + i.getBitWidth();
            case ArrowType.FloatingPoint f -> f.getPrecision() == FloatingPointPrecision.DOUBLE ? "float64"
                    : f.getPrecision() == FloatingPointPrecision.SINGLE ? "float32" : "float16";
            case ArrowType.Bool b -> "bool";
            case ArrowType.Utf8 u -> "string";
            case ArrowType.LargeUtf8 u -> "string";
            case ArrowType.Binary b -> "binary";
            case ArrowType.Date d -> "date";
            case ArrowType.Timestamp ts -> "timestamp[" + switch (ts.getUnit()) {
                case SECOND -> "s";
                case MILLISECOND -> "ms";
                case MICROSECOND -> "us";
                case NANOSECOND -> "ns";
            } + (ts.getTimezone() == null ? "" : ", " + ts.getTimezone()) + "]";
            case ArrowType.Decimal d -> "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
            case ArrowType.List l -> "list";
            case ArrowType.Struct s -> "struct";
            default -> t.toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
