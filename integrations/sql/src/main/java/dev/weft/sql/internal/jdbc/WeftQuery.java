package dev.weft.sql.internal.jdbc;

import dev.weft.data.CloseableIterator;
import dev.weft.data.Dataset;
import dev.weft.data.Row;
import dev.weft.sql.internal.plan.Built;
import dev.weft.sql.internal.plan.Implementor;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.validate.SqlValidatorUtil;

/**
 * A Weft plan prepared by JDBC: each execution binds the statement's parameters (from Calcite's data context),
 * builds the dataset and streams its rows. Thread-safe (executions share nothing).
 */
public final class WeftQuery {
    private final RelNode plan;
    private final int parameters;

    WeftQuery(RelNode plan) {
        this.plan = plan;
        this.parameters = dev.weft.sql.internal.planner.Parameters.of(plan).size();
    }

    /** Called by the generated code of a prepared statement. */
    public Enumerable<Object[]> enumerable(DataContext root) {
        List<Object> params = new ArrayList<>();
        for (int i = 0; i < parameters; i++) {
            params.add(root.get("?" + i));
        }
        Built built = new Implementor(params).visit(plan);
        List<String> names = SqlValidatorUtil.uniquify(plan.getRowType().getFieldNames(),
                SqlValidatorUtil.EXPR_SUGGESTER, true);
        Dataset shaped = built.shapedAs(names);
        // Datasets passes blocks on in order only under a limit: an ordered result keeps its order through one.
        Dataset ds = ordered(plan) ? shaped.limit(Long.MAX_VALUE) : shaped;
        List<RelDataTypeField> fields = plan.getRowType().getFieldList();
        java.util.concurrent.atomic.AtomicBoolean cancelled = DataContext.Variable.CANCEL_FLAG.get(root);
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<Object[]> enumerator() {
                CloseableIterator<Row> rows = ds.iterRows();
                return new Enumerator<>() {
                    private Object[] current;

                    @Override
                    public Object[] current() {
                        return current;
                    }

                    @Override
                    public boolean moveNext() {
                        if (cancelled != null && cancelled.get()) {
                            // Statement.cancel(): closing the rows stops the dataset's job.
                            rows.close();
                            throw new dev.weft.sql.SqlException("the statement was cancelled");
                        }
                        if (!rows.hasNext()) {
                            return false;
                        }
                        Row r = rows.next();
                        current = new Object[names.size()];
                        for (int i = 0; i < current.length; i++) {
                            current[i] = convert(r.get(names.get(i)), fields.get(i));
                        }
                        return true;
                    }

                    @Override
                    public void reset() {
                        throw new UnsupportedOperationException("a Weft result is read once; run the statement again");
                    }

                    @Override
                    public void close() {
                        rows.close();
                    }
                };
            }
        };
    }

    /** Whether the plan's output is sorted (a sort at the top, under projections). */
    private static boolean ordered(RelNode rel) {
        return switch (rel) {
            case dev.weft.sql.internal.plan.WeftSort s -> !s.getCollation().getFieldCollations().isEmpty()
                    || ordered(s.getInput());
            case dev.weft.sql.internal.plan.WeftProject p -> ordered(p.getInput());
            default -> false;
        };
    }

    /** A value as the Java class JDBC expects for the column's SQL type. */
    private static Object convert(Object v, RelDataTypeField field) {
        if (v == null) {
            return null;
        }
        return switch (field.getType().getSqlTypeName()) {
            case TINYINT -> v instanceof Number n ? n.byteValue() : v;
            case SMALLINT -> v instanceof Number n ? n.shortValue() : v;
            case INTEGER -> v instanceof Number n ? n.intValue() : v;
            case BIGINT -> v instanceof Number n ? n.longValue() : v;
            case REAL -> v instanceof Number n ? n.floatValue() : v;
            case FLOAT, DOUBLE -> v instanceof Number n ? n.doubleValue() : v;
            case DECIMAL -> v instanceof Number n && !(v instanceof BigDecimal) ? BigDecimal.valueOf(n.doubleValue()) : v;
            case CHAR, VARCHAR -> v.toString();
            default -> v;
        };
    }
}
