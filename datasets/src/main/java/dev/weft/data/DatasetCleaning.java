package dev.weft.data;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The plans behind {@link Dataset#fillNull}, {@link Dataset#dropNulls} and {@link Dataset#describe}, and the
 * table of {@link Dataset#show}. Stateless.
 */
final class DatasetCleaning {
    private DatasetCleaning() {
    }

    /** Null cells of {@code columns} (all columns of a matching type when empty) replaced by {@code value}. */
    static Dataset fillNull(Dataset ds, Object value, List<String> columns) {
        if (value == null) {
            throw new IllegalArgumentException("fillNull needs a value, got null");
        }
        DataType valueType = new Expr.Literal(Expr.Literal.normalize(value)).type();
        Schema schema = ds.schema();
        Dataset out = ds;
        for (Field f : schema.getFields()) {
            if (!columns.isEmpty() && !columns.contains(f.getName())) {
                continue;
            }
            DataType t;
            try {
                t = DataType.of(f.getType());
            } catch (IllegalArgumentException other) {
                continue;
            }
            boolean fits = t == valueType || t.isNumeric() && valueType.isNumeric()
                    || t.isTemporal() && valueType.isTemporal();
            if (!fits) {
                if (columns.contains(f.getName())) {
                    throw new IllegalArgumentException("fillNull: column '" + f.getName() + "' is " + t
                            + " and cannot hold " + value + " (" + valueType + ")");
                }
                continue;
            }
            Expr fill = t.isNumeric() && t != valueType ? Expr.lit(value).cast(t == DataType.DECIMAL ? DataType.DECIMAL : t)
                    : Expr.lit(value);
            if (t == DataType.DECIMAL) {
                var d = (org.apache.arrow.vector.types.pojo.ArrowType.Decimal) f.getType();
                fill = Expr.lit(value).cast(d.getPrecision(), d.getScale());
            } else if (t.isTemporal() && valueType != t) {
                fill = Expr.lit(value).cast(t);
            }
            out = out.withColumn(f.getName(), Expr.coalesce(Expr.col(f.getName()), fill));
        }
        for (String c : columns) {
            if (schema.getFields().stream().noneMatch(f -> f.getName().equals(c))) {
                throw new AnalysisException("fillNull(" + value + ", " + columns + ")", c,
                        schema.getFields().stream().map(Field::getName).toList(), "column '" + c + "' does not exist");
            }
        }
        return out;
    }

    /** Up to {@code n} rows as an aligned table; {@code planned} is the plan's schema, or null when unknown. */
    static String showString(Dataset ds, Schema planned, int n) {
        List<Row> rows = ds.take(n + 1);
        boolean more = rows.size() > n;
        List<Row> shown = more ? rows.subList(0, n) : rows;
        Schema schema = planned;
        if (schema == null) {
            schema = shown.isEmpty() ? new Schema(List.of()) : ds.schema();
        }
        return dev.weft.data.internal.print.TablePrinter.format(schema, shown, more);
    }

    /** Rows with a null in any of {@code columns} (all columns when empty) removed. */
    static Dataset dropNulls(Dataset ds, List<String> columns) {
        List<String> cols = columns.isEmpty() ? ds.columns() : columns;
        List<Expr> checks = new ArrayList<>();
        for (String c : cols) {
            checks.add(Expr.col(c).isNotNull());
        }
        return checks.isEmpty() ? ds : ds.filter(Expr.and(checks));
    }

    /**
     * Spark's {@code describe()}: rows {@code count}, {@code mean}, {@code stddev}, {@code min}, {@code max} (column
     * {@code summary}) and one string column per numeric, string, date or timestamp column of {@code ds}.
     */
    static Dataset describe(Dataset ds, List<String> columns) {
        Schema schema = ds.schema();
        List<String> cols = new ArrayList<>();
        List<Boolean> numeric = new ArrayList<>();
        for (Field f : schema.getFields()) {
            if (!columns.isEmpty() && !columns.contains(f.getName())) {
                continue;
            }
            DataType t;
            try {
                t = DataType.of(f.getType());
            } catch (IllegalArgumentException other) {
                continue;
            }
            if (t == DataType.BOOLEAN) {
                continue;
            }
            cols.add(f.getName());
            numeric.add(t.isNumeric());
        }
        if (cols.isEmpty()) {
            throw new IllegalArgumentException("describe: no numeric, string, date or timestamp columns in "
                    + schema.getFields().stream().map(Field::getName).toList());
        }
        List<Agg> aggs = new ArrayList<>();
        for (int j = 0; j < cols.size(); j++) {
            String c = cols.get(j);
            aggs.add(Agg.count(c));
            aggs.add(Agg.min(c));
            aggs.add(Agg.max(c));
            if (numeric.get(j)) {
                String asDouble = "__describe_" + j;
                aggs.add(Agg.mean(asDouble));
                aggs.add(Agg.std(asDouble));
            }
        }
        Dataset prepared = ds;
        for (int j = 0; j < cols.size(); j++) {
            if (numeric.get(j)) {
                prepared = prepared.withColumn("__describe_" + j, Expr.col(cols.get(j)).cast(DataType.FLOAT64));
            }
        }
        Row r = prepared.aggregate(aggs.toArray(Agg[]::new)).takeAll().getFirst();
        String[] stats = {"count", "mean", "stddev", "min", "max"};
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String stat : stats) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("summary", stat);
            for (int j = 0; j < cols.size(); j++) {
                String c = cols.get(j);
                Object v = switch (stat) {
                    case "count" -> r.get("count(" + c + ")");
                    case "min" -> r.get("min(" + c + ")");
                    case "max" -> r.get("max(" + c + ")");
                    case "mean" -> numeric.get(j) ? r.get("mean(__describe_" + j + ")") : null;
                    default -> numeric.get(j) ? r.get("std(__describe_" + j + ")") : null;
                };
                m.put(c, v == null ? null : v instanceof BigDecimal d ? d.toPlainString() : v.toString());
            }
            rows.add(m);
        }
        return Datasets.fromItems(rows);
    }
}
