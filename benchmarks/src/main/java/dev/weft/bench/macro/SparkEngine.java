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
 * Apache Spark {@code local[2]} in its own long-lived JVM ({@code dev.weft.bench.spark.SparkPeer} of the
 * {@code benchmarks/spark-peer} build), driven one workload at a time over the child's stdin/stdout. The child's
 * stderr (Spark's log) goes to a file. Spark measures each workload's wall time itself, around the action.
 */
final class SparkEngine implements Engine {

    /** The JVM options Spark 4 needs on JDK 17+ (as its launcher's {@code JavaModuleOptions}). */
    static final List<String> SPARK_JVM_FLAGS = List.of(
            "-XX:+IgnoreUnrecognizedVMOptions",
            "--add-modules=jdk.incubator.vector",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true");

    private final ObjectMapper json = new ObjectMapper();
    private final PeerProcess peer;
    private final Map<String, Object> info = new LinkedHashMap<>();

    /**
     * Starts the Spark JVM and waits until its session is up.
     *
     * @param java the {@code java} executable to run Spark on
     * @param peerDir the {@code benchmarks/spark-peer} directory, built (target/classes and target/classpath.txt)
     * @param heap the child's {@code -Xmx}, e.g. {@code 4g}
     * @param log where the child's stderr goes
     */
    SparkEngine(Path java, Path peerDir, String heap, Path log) throws IOException {
        Path classes = peerDir.resolve("target/classes");
        Path classpath = peerDir.resolve("target/classpath.txt");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(classpath)) {
            throw new IOException("the Spark peer is not built: no " + classes + " or " + classpath
                    + " (run ./mvnw -f benchmarks/spark-peer/pom.xml -DskipTests package)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.add("-Xmx" + heap);
        cmd.addAll(SPARK_JVM_FLAGS);
        cmd.add("-cp");
        cmd.add(classes + File.pathSeparator + Files.readString(classpath).trim());
        cmd.add("dev.weft.bench.spark.SparkPeer");
        peer = new PeerProcess("Spark", cmd, log);
        JsonNode ready = peer.ready();
        info.put("engine", "Apache Spark " + ready.get("spark").asText() + " local[2], DataFrame API");
        info.put("process", "own JVM (subprocess), pid " + peer.pid() + ", -Xmx" + heap);
        info.put("spark", ready.get("spark").asText());
        info.put("java", ready.get("java").asText());
        info.put("javaVm", ready.get("javaVm").asText());
        info.put("maxHeap", ready.get("maxHeap").asLong());
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Map<String, Object> info() {
        return info;
    }

    @Override
    public Optional<String> unavailable(Workload workload) {
        return Optional.empty();
    }

    @Override
    public long pid() {
        return peer.pid();
    }

    @Override
    public EngineRun run(Workload workload, Path data, Path out) throws IOException {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("workload", workload.name());
        req.put("data", data.toAbsolutePath().toString());
        req.put("out", out.toAbsolutePath().toString());
        JsonNode answer = peer.request(req);
        Map<String, Object> checks = json.convertValue(answer.get("checks"), new TypeReference<>() { });
        return new EngineRun(answer.get("nanos").asLong(), checks);
    }

    @Override
    public void close() throws InterruptedException {
        peer.close();
    }
}
