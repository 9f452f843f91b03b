package dev.weft.bench.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark side of the macro runner: one long-lived JVM holding a {@code local[2]} session, driven over
 * stdin/stdout. Each request line is JSON {@code {"workload": "W1a", "data": "/data/root", "out": "/tmp/x"}}; each
 * answer is one stdout line {@code @@RESULT {json}} with the workload's wall time in nanoseconds (measured here,
 * around the Spark action only) and its check values, or an error. Anything else Spark prints is ignored by the
 * runner. An empty line or end of input ends the process.
 */
public final class SparkPeer {

    static final String READY = "@@READY ";
    static final String RESULT = "@@RESULT ";

    private SparkPeer() {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        // Spark and its libraries print to stdout now and then; the protocol gets a stream of its own.
        PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);
        SparkSession spark = SparkSession.builder()
                .master("local[2]")
                .appName("weft-macro-benchmarks")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        SparkWorkloads workloads = new SparkWorkloads(spark);
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("spark", spark.version());
        ready.put("java", System.getProperty("java.version"));
        ready.put("javaVm", System.getProperty("java.vm.name"));
        ready.put("maxHeap", Runtime.getRuntime().maxMemory());
        protocol.println(READY + json.writeValueAsString(ready));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.isBlank()) {
                JsonNode req = json.readTree(line);
                String workload = req.get("workload").asText();
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("workload", workload);
                try {
                    long start = System.nanoTime();
                    Map<String, Object> checks = workloads.run(workload, req.get("data").asText(),
                            req.path("out").asText(null));
                    answer.put("nanos", System.nanoTime() - start);
                    answer.put("checks", checks);
                } catch (Exception | Error e) {
                    StringWriter trace = new StringWriter();
                    e.printStackTrace(new PrintWriter(trace));
                    answer.put("error", trace.toString());
                }
                protocol.println(RESULT + json.writeValueAsString(answer));
            }
        } finally {
            spark.stop();
        }
    }
}
