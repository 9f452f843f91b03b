package dev.weft.sql;

import dev.weft.data.Dataset;
import dev.weft.data.Datasets;
import dev.weft.sql.internal.planner.SqlPlanner;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * SQL over a {@link WeftCatalog}: Calcite parses, validates and plans the statement, and the result is a
 * {@link Dataset} that Weft's streaming executor runs (nothing runs until the dataset is consumed, except an
 * {@code OFFSET}, whose rows pass through the driver when the dataset runs).
 *
 * <pre>{@code
 * Dataset top = WeftSql.query(catalog, "SELECT key % 100 AS b, COUNT(*) FROM events WHERE x > ? GROUP BY key % 100", 0.1);
 * }</pre>
 *
 * {@code EXPLAIN PLAN FOR <query>} gives a one-row dataset with column {@code PLAN}: Calcite's logical plan, the
 * plan in the Weft convention and the dataset's physical plan. Errors are {@link SqlException}s. Stateless and
 * thread-safe.
 */
public final class WeftSql {
    private WeftSql() {
    }

    /** The dataset of a query, with values for its {@code ?} parameters in order. */
    public static Dataset query(WeftCatalog catalog, String sql, Object... parameters) {
        return prepare(catalog, sql).bind(parameters);
    }

    /** Calcite's logical plan, the plan in the Weft convention and the dataset's physical plan of a query. */
    public static String explain(WeftCatalog catalog, String sql, Object... parameters) {
        return prepare(catalog, sql).explain(parameters);
    }

    /**
     * A query planned once, to be run with different parameter values. The catalog keeps the plans of the statements
     * it has seen, by their text, until a table is registered or dropped: preparing the same text again plans nothing.
     */
    public static PreparedQuery prepare(WeftCatalog catalog, String sql) {
        if (catalog == null) {
            throw new IllegalArgumentException("catalog must not be null");
        }
        return new PreparedQuery(sql, catalog.plan(sql));
    }

    /** A query planned once: bind values to its {@code ?} parameters to get its dataset. Immutable, thread-safe. */
    public static final class PreparedQuery {
        private final String sql;
        private final SqlPlanner.Planned planned;

        PreparedQuery(String sql, SqlPlanner.Planned planned) {
            this.sql = sql;
            this.planned = planned;
        }

        public String sql() {
            return sql;
        }

        /** The number of {@code ?} parameters. */
        public int parameterCount() {
            return planned.parameters().size();
        }

        /** The SQL type names of the parameters, as the validator inferred them (e.g. {@code DOUBLE}). */
        public List<String> parameterTypes() {
            return planned.parameters().stream().map(t -> t.getSqlTypeName().getName()).toList();
        }

        /** The names of the result's columns. */
        public List<String> columnNames() {
            return planned.explain() ? List.of("PLAN") : planned.names();
        }

        /** The SQL type names of the result's columns (e.g. {@code BIGINT}, {@code VARCHAR}). */
        public List<String> columnTypes() {
            return planned.explain() ? List.of("VARCHAR")
                    : planned.types().stream().map(t -> t.getSqlTypeName().getName()).toList();
        }

        /** The query's dataset with {@code values} for its parameters (as many as {@link #parameterCount()}). */
        public Dataset bind(Object... values) {
            List<Object> params = Arrays.asList(values == null ? new Object[] {null} : values);
            if (planned.explain()) {
                return Datasets.fromItems(List.of(Map.of("PLAN", SqlPlanner.explain(planned, params))));
            }
            return SqlPlanner.dataset(planned, params);
        }

        /** The plans of the query with these parameter values. */
        public String explain(Object... values) {
            return SqlPlanner.explain(planned, Arrays.asList(values == null ? new Object[] {null} : values));
        }
    }
}
