package dev.weft.bench.macro;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.data.Row;
import dev.weft.sql.TpchQueries;
import dev.weft.sql.WeftCatalog;
import dev.weft.sql.WeftSql;
import io.trino.tpch.TpchTable;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The 22 TPC-H queries through Weft SQL (in this JVM, an embedded runtime) and DuckDB (its peer JVM, 2 threads) on
 * the same Parquet files: per query one warm-up and N timed runs per engine, alternating (Weft, DuckDB, Weft, ...);
 * the median of each, their ratio, and the geometric means. Every run's answer must match DuckDB's (row count and
 * every value, numbers within 1e-6 relative) or the query is reported as failed. Times include planning and
 * fetching every result row. Writes {@code tpch-*.json} under the results directory and prints a markdown table.
 */
@Command(name = "tpch-runner", mixinStandardHelpOptions = true,
        description = "TPC-H through Weft SQL vs DuckDB (BENCHMARKS.md, SQL).")
public final class TpchRunner implements Callable<Integer> {

    @Option(names = "--data", defaultValue = "benchmarks/data",
            description = "Data root; tables live in <data>/tpch-sf<S>/ (default ${DEFAULT-VALUE}).")
    Path dataRoot;

    @Option(names = "--scale", defaultValue = "0.1", description = "TPC-H scale factor (default ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--queries", split = ",", description = "Query numbers (default 1..22).")
    List<Integer> queries = new ArrayList<>();

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs per engine (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmups", defaultValue = "1", description = "Warm-up runs per engine (default ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--duckdb-peer", defaultValue = "benchmarks/duckdb-peer",
            description = "The built DuckDB peer project (default ${DEFAULT-VALUE}).")
    Path duckDbPeer;

    @Option(names = "--duckdb-threads", defaultValue = "2", description = "DuckDB's threads (default ${DEFAULT-VALUE}).")
    int duckDbThreads;

    @Option(names = "--duckdb-memory", defaultValue = "4GB", description = "DuckDB's memory_limit (default ${DEFAULT-VALUE}).")
    String duckDbMemory;

    @Option(names = "--weft-store", defaultValue = "2g", description = "Weft's object store (default ${DEFAULT-VALUE}).")
    String weftStore;

    @Option(names = "--results", defaultValue = "benchmarks/results", description = "JSON output directory.")
    Path resultsDir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TpchRunner()).execute(args));
    }

    /** One query's timed runs (nanoseconds) per engine and whether every answer matched. */
    record QueryOutcome(int query, List<Long> weftNanos, List<Long> duckNanos, int rows, String failure) {
        double weftMedianMs() {
            return median(weftNanos) / 1e6;
        }

        double duckMedianMs() {
            return median(duckNanos) / 1e6;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (queries.isEmpty()) {
            for (int q = 1; q <= TpchQueries.QUERIES.size(); q++) {
                queries.add(q);
            }
        }
        Path data = dataRoot.resolve("tpch-sf" + scale).toAbsolutePath();
        String started = Instant.now().toString();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        List<QueryOutcome> outcomes = new ArrayList<>();
        try (Weft weft = Weft.init(WeftConfig.builder().objectStoreBytes(MacroRunner.parseBytes(weftStore)).build())) {
            long genStart = System.nanoTime();
            TpchParquet.writeIfAbsent(data, scale);
            System.err.printf(Locale.ROOT, "tpch: data ready in %s (%.1f s)%n", data, (System.nanoTime() - genStart) / 1e9);
            WeftCatalog catalog = WeftCatalog.create();
            Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
            DuckDbEngine duck = new DuckDbEngine(java, duckDbPeer, duckDbThreads, duckDbMemory,
                    resultsDir.resolve("duckdb-peer.log"));
            try {
                for (TpchTable<?> t : TpchTable.getTables()) {
                    Path dir = data.resolve(t.getTableName());
                    catalog.registerParquet(t.getTableName(), dir.toString());
                    duck.sql("setup", "CREATE OR REPLACE VIEW " + t.getTableName() + " AS SELECT * FROM read_parquet('"
                            + dir + "/*.parquet')");
                }
                for (int q : queries) {
                    outcomes.add(runQuery(q, catalog, duck));
                    QueryOutcome o = outcomes.getLast();
                    System.err.printf(Locale.ROOT, "tpch: Q%d weft %.0f ms, duckdb %.0f ms%s%n", q, o.weftMedianMs(),
                            o.duckMedianMs(), o.failure() == null ? "" : " FAILED: " + o.failure());
                }
            } finally {
                duck.close();
            }
        }
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
        System.out.println(table(outcomes, loadBefore, loadAfter));
        write(outcomes, started, loadBefore, loadAfter);
        return outcomes.stream().allMatch(o -> o.failure() == null) ? 0 : 1;
    }

    private QueryOutcome runQuery(int q, WeftCatalog catalog, DuckDbEngine duck) throws Exception {
        String sql = TpchQueries.QUERIES.get(q - 1);
        List<Long> weftNanos = new ArrayList<>();
        List<Long> duckNanos = new ArrayList<>();
        String failure = null;
        int rows = 0;
        for (int i = 0; i < warmups + runs; i++) {
            long start = System.nanoTime();
            WeftSql.PreparedQuery query = WeftSql.prepare(catalog, sql);
            List<Row> weftRows = query.bind().takeAll();
            long weft = System.nanoTime() - start;
            DuckDbEngine.Answer answer = duck.sql("Q" + q, sql);
            String why = differs(weftRows, query.columnNames(), answer.rows());
            failure = failure != null ? failure : why;
            rows = answer.rows().size();
            if (i >= warmups) {
                weftNanos.add(weft);
                duckNanos.add(answer.nanos());
            }
        }
        return new QueryOutcome(q, weftNanos, duckNanos, rows, failure);
    }

    /** Why Weft's answer differs from DuckDB's (rows in order; numbers within 1e-6 relative), or null. */
    static String differs(List<Row> weft, List<String> columns, List<List<Object>> duck) {
        if (weft.size() != duck.size()) {
            return "Weft gave " + weft.size() + " rows, DuckDB " + duck.size();
        }
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int i = 0; i < weft.size(); i++) {
            StringBuilder x = new StringBuilder();
            StringBuilder y = new StringBuilder();
            for (int c = 0; c < columns.size(); c++) {
                x.append(canonical(weft.get(i).get(columns.get(c)))).append('|');
                y.append(canonical(duck.get(i).get(c))).append('|');
            }
            a.add(x.toString());
            b.add(y.toString());
        }
        // Rows that tie on the ORDER BY keys may come in either order: compare as sorted lists.
        a.sort(null);
        b.sort(null);
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                return "row differs: Weft " + a.get(i) + " DuckDB " + b.get(i);
            }
        }
        return null;
    }

    /** Numbers to 7 significant digits (1e-6 relative agreement), everything else as text. */
    private static String canonical(Object v) {
        return switch (v) {
            case null -> "null";
            case BigDecimal d -> String.format(Locale.ROOT, "%.6e", d.doubleValue());
            case Number n -> String.format(Locale.ROOT, "%.6e", n.doubleValue());
            default -> v.toString();
        };
    }

    static double median(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        s.sort(null);
        int n = s.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
    }

    static double geomean(List<Double> values) {
        return Math.exp(values.stream().mapToDouble(Math::log).average().orElse(Double.NaN));
    }

    private String table(List<QueryOutcome> outcomes, String loadBefore, String loadAfter) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "TPC-H SF %s, medians of %d runs after %d warm-up; load average before %s, after %s%n%n",
                scale, runs, warmups, loadBefore, loadAfter));
        b.append("| query | rows | Weft ms | DuckDB ms | Weft / DuckDB | answer |\n|---|---|---|---|---|---|\n");
        List<Double> w = new ArrayList<>();
        List<Double> d = new ArrayList<>();
        for (QueryOutcome o : outcomes) {
            w.add(o.weftMedianMs());
            d.add(o.duckMedianMs());
            b.append(String.format(Locale.ROOT, "| Q%d | %d | %.0f | %.0f | %.1f | %s |%n", o.query(), o.rows(),
                    o.weftMedianMs(), o.duckMedianMs(), o.weftMedianMs() / o.duckMedianMs(),
                    o.failure() == null ? "matches" : "DIFFERS"));
        }
        b.append(String.format(Locale.ROOT, "| geometric mean | | %.0f | %.0f | %.1f | |%n", geomean(w), geomean(d),
                geomean(w) / geomean(d)));
        return b.toString();
    }

    private void write(List<QueryOutcome> outcomes, String started, String loadBefore, String loadAfter)
            throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "tpch");
        doc.put("scaleFactor", scale);
        doc.put("started", started);
        doc.put("machine", MachineInfo.describe());
        doc.put("loadAverageBefore", loadBefore);
        doc.put("loadAverageAfter", loadAfter);
        doc.put("runs", runs);
        doc.put("warmups", warmups);
        List<Map<String, Object>> qs = new ArrayList<>();
        for (QueryOutcome o : outcomes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("query", "Q" + o.query());
            m.put("rows", o.rows());
            m.put("weftNanos", o.weftNanos());
            m.put("duckdbNanos", o.duckNanos());
            m.put("ratio", o.weftMedianMs() / o.duckMedianMs());
            m.put("failure", o.failure());
            qs.add(m);
        }
        doc.put("queries", qs);
        Files.createDirectories(resultsDir);
        Path out = resultsDir.resolve("tpch-sf" + scale + "-" + started.replace(':', '-') + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), doc);
        System.err.println("tpch: wrote " + out);
    }
}
