package dev.weft.bench.macro;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL form of each macro workload as DuckDB runs it over the same Parquet files
 * ({@code read_parquet('dir/*.parquet')}), and how the DuckDB peer's answer becomes the workload's check values (names as in the other engines). The peer
 * executes the statement and fetches every row inside its timed part; for a group-by it folds the rows into column
 * totals while fetching, as Spark's side folds its collected groups.
 */
final class DuckDbQueries {

    /** How the peer returns a statement's result: every row, or per-column totals and the row count. */
    enum ResultShape {
        ROWS, TOTALS;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One workload's statement and the shape of result the runner needs from it. */
    record Query(String sql, ResultShape shape) {
    }

    /** The single file W3 writes into its output directory; one file is ordered by itself. */
    static final String SORTED_FILE = "part-00000.parquet";

    private DuckDbQueries() {
    }

    /** Empty if DuckDB runs the workload, else why not (reported as "not available"). */
    static Optional<String> unavailable(Workload w) {
        return Optional.ofNullable(switch (w) {
            case W1b -> "a row-wise Java lambda; DuckDB's JDBC driver runs SQL, not Java functions "
                    + "(W1a is its SQL form)";
            case W1c -> "a Java function over Arrow batches; DuckDB's JDBC driver runs SQL, not Java functions "
                    + "(W1a is its SQL form)";
            case W7 -> "DuckDB has no repartition: its plans never move rows between partitions (one process, "
                    + "morsel-driven), so a SQL form would time a scan and an aggregate, not a shuffle";
            case DEC -> "measures a Java Parquet decoder on one core; DuckDB's reader is not usable apart from its "
                    + "query engine";
            default -> null;
        });
    }

    /**
     * The statement for a workload.
     *
     * @param data the data root holding {@code events/}, {@code events1m/}, {@code dim/}, {@code sortin/}
     * @param out W3's fresh output directory (created by the caller)
     */
    static Query query(Workload w, Path data, Path out) {
        String events = scan(data.resolve("events"));
        return switch (w) {
            case W1a -> rows("SELECT count(*), sum(y), max(us) FROM (SELECT x * 2 + 1 AS y, upper(s) AS us FROM "
                    + events + ")");
            case W2 -> rows("SELECT count(*), sum(x) FROM (SELECT key, x FROM " + events + ") WHERE x < 0.5");
            // ORDER BY in a COPY keeps the order in the file; DuckDB encodes row groups in parallel and writes them
            // in order. Snappy as Spark's and Weft's writers.
            case W3 -> rows("COPY (SELECT * FROM " + scan(data.resolve("sortin")) + " ORDER BY k) TO "
                    + literal(out.resolve(SORTED_FILE).toString()) + " (FORMAT parquet, COMPRESSION snappy)");
            case W4 -> groupBy(events);
            case W4M -> groupBy(scan(data.resolve("events1m")));
            case W5 -> rows("SELECT count(*), sum(d.weight * e.x) FROM (SELECT key, x FROM " + events
                    + " WHERE key < 10000) e JOIN (SELECT key, weight FROM " + scan(data.resolve("dim"))
                    + ") d ON e.key = d.key");
            case W6 -> rows("SELECT key % 100 AS b, COUNT(*), SUM(x), AVG(x), MAX(s) FROM " + events
                    + " AS events WHERE x > 0.1 GROUP BY key % 100 ORDER BY b");
            default -> throw new IllegalArgumentException("no SQL form of " + w + ": " + unavailable(w).orElse("?"));
        };
    }

    private static Query groupBy(String table) {
        return new Query("SELECT key, count(*), sum(x), avg(x) FROM " + table + " GROUP BY key", ResultShape.TOTALS);
    }

    private static Query rows(String sql) {
        return new Query(sql, ResultShape.ROWS);
    }

    /** {@code read_parquet('dir/*.parquet')} for a dataset directory. */
    static String scan(Path dir) {
        return "read_parquet(" + literal(dir.toAbsolutePath() + "/*.parquet") + ")";
    }

    /** A SQL string literal. */
    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /**
     * The check values of a workload from the peer's answer: {@code rows} (a list of rows, each a list of values) for
     * {@link ResultShape#ROWS}, {@code rowCount} and {@code totals} (one per column) for {@link ResultShape#TOTALS}.
     */
    static Map<String, Object> checks(Workload w, long rowCount, List<List<Object>> rows, List<Object> totals) {
        Map<String, Object> checks = new LinkedHashMap<>();
        switch (w) {
            case W1a -> {
                List<Object> r = single(w, rows);
                checks.put("count", r.get(0));
                checks.put("sum_y", r.get(1));
                checks.put("max_upper_s", r.get(2));
            }
            case W2 -> {
                List<Object> r = single(w, rows);
                checks.put("count", r.get(0));
                checks.put("sum_x", r.get(1));
            }
            case W3 -> {
                // The runner reads the written file back (outside the timed part) and checks rows and order.
            }
            case W4, W4M -> {
                checks.put("groups", rowCount);
                checks.put("sum_count", totals.get(1));
                checks.put("sum_sum_x", totals.get(2));
                checks.put("sum_mean_x", totals.get(3));
            }
            case W5 -> {
                List<Object> r = single(w, rows);
                checks.put("count", r.get(0));
                checks.put("sum_weight_x", r.get(1));
            }
            case W6 -> {
                checks.put("rows", rowCount);
                checks.put("table", new ArrayList<>(rows));
            }
            default -> throw new IllegalArgumentException("no SQL form of " + w);
        }
        return checks;
    }

    private static List<Object> single(Workload w, List<List<Object>> rows) {
        if (rows.size() != 1) {
            throw new IllegalStateException(w + " on DuckDB returned " + rows.size() + " rows, expected 1");
        }
        return rows.getFirst();
    }
}
