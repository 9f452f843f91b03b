package dev.weft.bench.frontends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The graph shape on one of Dask's schedulers: runs {@code benchmarks/dask-peer/graph_bench.py} in a Python
 * process, which builds the same graph, runs it once to warm up and once timed, and reports its own timing (Python
 * start-up and graph building are not counted).
 */
record DaskEngine(String python, String script, String scheduler, int leaves, int threads) implements Engine {
    @Override
    public String name() {
        return "Dask " + scheduler;
    }

    @Override
    public Outcome run() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(python, script, "--leaves", Integer.toString(leaves), "--scheduler",
                scheduler, "--threads", Integer.toString(threads))).redirectErrorStream(false).start();
        p.getOutputStream().close();
        Thread drain = Thread.ofVirtual().start(() -> {
            try {
                p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // stderr is Dask's logging
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("Dask " + scheduler + " failed (exit " + p.exitValue() + "): " + out);
        }
        drain.join();
        String last = out.substring(out.lastIndexOf('\n') + 1);
        JsonNode json = new ObjectMapper().readTree(last);
        return new Outcome(json.get("seconds").asDouble(), json.get("root").asLong());
    }
}
