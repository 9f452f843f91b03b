package dev.weft.bench.macro;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DuckDB through its JDBC driver in its own long-lived JVM ({@code dev.weft.bench.duckdb.DuckDbPeer} of the
 * {@code benchmarks/duckdb-peer} build, so the driver's 80 MB jar stays off the runner's class path), driven like
 * {@link SparkEngine}. The runner sends each workload's SQL ({@link DuckDbQueries}); the peer measures the wall time
 * around executing it and fetching its result.
 */
final class DuckDbEngine implements Engine {

    private final ObjectMapper json = new ObjectMapper();
    private final PeerProcess peer;
    private final Map<String, Object> info = new LinkedHashMap<>();

    /**
     * Starts the DuckDB JVM and waits until its connection is open.
     *
     * @param java the {@code java} executable to run the peer on
     * @param peerDir the {@code benchmarks/duckdb-peer} directory, built (target/classes and target/classpath.txt)
     * @param threads DuckDB's {@code threads} setting
     * @param memoryLimit DuckDB's {@code memory_limit}, e.g. {@code 4GB}
     * @param log where the child's stderr goes
     */
    DuckDbEngine(Path java, Path peerDir, int threads, String memoryLimit, Path log) throws IOException {
        Path classes = peerDir.resolve("target/classes");
        Path classpath = peerDir.resolve("target/classpath.txt");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(classpath)) {
            throw new IOException("the DuckDB peer is not built: no " + classes + " or " + classpath
                    + " (run ./mvnw -f benchmarks/duckdb-peer/pom.xml -DskipTests package)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        // The peer's heap holds protocol lines only; DuckDB's memory is native, bounded by memory_limit.
        cmd.add("-Xmx512m");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-XX:+IgnoreUnrecognizedVMOptions");
        cmd.add("-cp");
        cmd.add(classes + File.pathSeparator + Files.readString(classpath).trim());
        cmd.add("dev.weft.bench.duckdb.DuckDbPeer");
        cmd.add("--threads");
        cmd.add(Integer.toString(threads));
        cmd.add("--memory-limit");
        cmd.add(memoryLimit);
        cmd.add("--temp-directory");
        cmd.add(peerDir.resolve("target/duckdb-spill").toAbsolutePath().toString());
        peer = new PeerProcess("DuckDB", cmd, log);
        JsonNode ready = peer.ready();
        info.put("engine", "DuckDB " + ready.get("duckdb").asText() + " (JDBC), threads = "
                + ready.get("threads").asText() + ", memory_limit " + ready.get("memoryLimit").asText() + ", SQL over read_parquet");
        info.put("process", "own JVM (subprocess), pid " + peer.pid());
        info.put("duckdb", ready.get("duckdb").asText());
        info.put("threads", ready.get("threads").asText());
        info.put("java", ready.get("java").asText());
        info.put("javaVm", ready.get("javaVm").asText());
    }

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public Map<String, Object> info() {
        return info;
    }

    @Override
    public Optional<String> unavailable(Workload workload) {
        return DuckDbQueries.unavailable(workload);
    }

    @Override
    public long pid() {
        return peer.pid();
    }

    @Override
    public EngineRun run(Workload workload, Path data, Path out) throws IOException {
        if (workload.writesOutput()) {
            Files.createDirectories(out);
        }
        DuckDbQueries.Query q = DuckDbQueries.query(workload, data, out);
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("workload", workload.name());
        req.put("sql", q.sql());
        req.put("result", q.shape().wireName());
        JsonNode answer = peer.request(req);
        List<List<Object>> rows = answer.has("rows")
                ? json.convertValue(answer.get("rows"), new TypeReference<>() { }) : List.of();
        List<Object> totals = answer.has("totals")
                ? json.convertValue(answer.get("totals"), new TypeReference<>() { }) : List.of();
        Map<String, Object> checks = DuckDbQueries.checks(workload, answer.get("rowCount").asLong(), rows, totals);
        return new EngineRun(answer.get("nanos").asLong(), checks);
    }

    /** The answer to one SQL statement: the peer's wall time around executing it and fetching its rows. */
    record Answer(long nanos, List<List<Object>> rows) {
    }

    /** Runs one SQL statement (a query, or a statement such as {@code CREATE VIEW}, which has no rows). */
    Answer sql(String label, String sql) throws IOException {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("workload", label);
        req.put("sql", sql);
        req.put("result", "rows");
        JsonNode answer = peer.request(req);
        List<List<Object>> rows = answer.has("rows")
                ? json.convertValue(answer.get("rows"), new TypeReference<>() { }) : List.of();
        return new Answer(answer.get("nanos").asLong(), rows);
    }

    @Override
    public void close() throws InterruptedException {
        peer.close();
    }
}
