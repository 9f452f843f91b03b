package dev.weft.bench.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DuckDB side of the macro runner: one long-lived JVM holding an in-memory DuckDB connection (JDBC,
 * {@code SET threads = N}), driven over stdin/stdout like the Spark peer. Each request line is JSON
 * {@code {"workload": "W1a", "sql": "SELECT ...", "result": "rows" | "totals"}}; each answer is one stdout line
 * {@code @@RESULT {json}} with the wall time in nanoseconds measured here around executing the statement and
 * fetching every row of its result, the row count, and either the rows themselves ({@code rows}) or, for results
 * too large to ship (every group of a group-by), the per-column totals folded while fetching ({@code totals}:
 * integers summed exactly, floating-point values as doubles, other columns null), or an error. The SQL of each
 * workload lives in the runner ({@code dev.weft.bench.macro.DuckDbQueries}). An empty line or end of input ends
 * the process.
 *
 * <p>Arguments: {@code --threads N}, {@code --memory-limit SIZE} (DuckDB syntax, e.g. {@code 4GB}),
 * {@code --temp-directory DIR} (where a sort that does not fit spills).
 */
public final class DuckDbPeer {

    static final String READY = "@@READY ";
    static final String RESULT = "@@RESULT ";

    private DuckDbPeer() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        ObjectMapper json = new ObjectMapper();
        // The protocol gets stdout to itself; anything a library prints goes to the log.
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement st = db.createStatement()) {
                st.execute("SET threads = " + Integer.parseInt(options.getOrDefault("threads", "2")));
                if (options.containsKey("memory-limit")) {
                    st.execute("SET memory_limit = " + quote(options.get("memory-limit")));
                }
                if (options.containsKey("temp-directory")) {
                    st.execute("SET temp_directory = " + quote(options.get("temp-directory")));
                }
            }
            Map<String, Object> ready = new LinkedHashMap<>();
            ready.put("duckdb", scalar(db, "SELECT version()"));
            ready.put("threads", scalar(db, "SELECT current_setting('threads')"));
            ready.put("memoryLimit", scalar(db, "SELECT current_setting('memory_limit')"));
            ready.put("java", System.getProperty("java.version"));
            ready.put("javaVm", System.getProperty("java.vm.name"));
            protocol.println(READY + json.writeValueAsString(ready));
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null && !line.isBlank()) {
                    protocol.println(RESULT + json.writeValueAsString(answer(db, json.readTree(line))));
                }
            }
        }
    }

    private static Map<String, Object> answer(Connection db, JsonNode req) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("workload", req.path("workload").asText());
        boolean totals = "totals".equals(req.path("result").asText("rows"));
        try (Statement st = db.createStatement()) {
            long start = System.nanoTime();
            Fetched fetched = st.execute(req.get("sql").asText()) ? fetch(st.getResultSet(), totals) : Fetched.NONE;
            answer.put("nanos", System.nanoTime() - start);
            answer.put("rowCount", fetched.rowCount);
            answer.put(totals ? "totals" : "rows", totals ? fetched.totals : fetched.rows);
        } catch (Exception | Error e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            answer.clear();
            answer.put("workload", req.path("workload").asText());
            answer.put("error", trace.toString());
        }
        return answer;
    }

    private record Fetched(long rowCount, List<List<Object>> rows, List<Object> totals) {
        static final Fetched NONE = new Fetched(0, List.of(), List.of());
    }

    private static Fetched fetch(ResultSet rs, boolean totals) throws SQLException {
        try (rs) {
            ResultSetMetaData meta = rs.getMetaData();
            int n = meta.getColumnCount();
            List<List<Object>> rows = new ArrayList<>();
            long[] longTotals = new long[n];
            double[] doubleTotals = new double[n];
            boolean[] isDouble = new boolean[n];
            boolean[] isInteger = new boolean[n];
            long count = 0;
            while (rs.next()) {
                count++;
                List<Object> row = totals ? null : new ArrayList<>(n);
                for (int c = 0; c < n; c++) {
                    Object v = rs.getObject(c + 1);
                    if (!totals) {
                        row.add(v instanceof Number || v instanceof String || v instanceof Boolean || v == null
                                ? v : v.toString());
                    } else if (v instanceof Double || v instanceof Float) {
                        isDouble[c] = true;
                        doubleTotals[c] += ((Number) v).doubleValue();
                    } else if (v instanceof Long || v instanceof Integer || v instanceof Short
                            || v instanceof BigInteger) {
                        isInteger[c] = true;
                        longTotals[c] = Math.addExact(longTotals[c], ((Number) v).longValue());
                    }
                }
                if (!totals) {
                    rows.add(row);
                }
            }
            List<Object> columnTotals = new ArrayList<>(n);
            for (int c = 0; c < n && totals; c++) {
                columnTotals.add(isDouble[c] ? (Object) doubleTotals[c] : isInteger[c] ? (Object) longTotals[c] : null);
            }
            return new Fetched(count, rows, columnTotals);
        }
    }

    private static Object scalar(Connection db, String sql) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: DuckDbPeer [--threads N] [--memory-limit SIZE] "
                        + "[--temp-directory DIR]; got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
