package dev.weft.bench.macro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A peer engine's long-lived JVM (Spark's, DuckDB's), driven one request at a time over the child's stdin/stdout:
 * the child prints {@code @@READY {json}} once it is up, then answers each JSON request line with one
 * {@code @@RESULT {json}} line; other stdout lines are ignored, and a blank line asks it to exit. The child's stderr
 * goes to a log file. Not thread-safe; the owning engine closes it.
 */
final class PeerProcess implements AutoCloseable {

    static final String READY = "@@READY ";
    static final String RESULT = "@@RESULT ";

    private final ObjectMapper json = new ObjectMapper();
    private final String name;
    private final Path log;
    private final Process process;
    private final BufferedReader fromPeer;
    private final BufferedWriter toPeer;
    private final JsonNode ready;

    /**
     * Starts the child and waits for its ready line.
     *
     * @param name the engine's name, for messages
     * @param command the child's command line
     * @param log where the child's stderr goes
     */
    PeerProcess(String name, List<String> command, Path log) throws IOException {
        this.name = name;
        this.log = log;
        Files.createDirectories(log.toAbsolutePath().getParent());
        process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        // A runner stopped by a signal must not leave a peer JVM computing on a shared machine.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, name + "-peer-reaper"));
        fromPeer = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        toPeer = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        ready = json.readTree(awaitLine(READY));
    }

    /** What the peer said when it came up (versions, JVM, settings). */
    JsonNode ready() {
        return ready;
    }

    long pid() {
        return process.pid();
    }

    /** Sends one request and returns the peer's answer; an answer with an {@code error} field becomes an exception. */
    JsonNode request(Map<String, Object> request) throws IOException {
        toPeer.write(json.writeValueAsString(request));
        toPeer.newLine();
        toPeer.flush();
        JsonNode answer = json.readTree(awaitLine(RESULT));
        if (answer.hasNonNull("error")) {
            throw new IOException(name + " failed on " + request.get("workload") + ":\n"
                    + answer.get("error").asText());
        }
        return answer;
    }

    private String awaitLine(String prefix) throws IOException {
        String line;
        while ((line = fromPeer.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        throw new IOException("the " + name + " peer exited (code " + waitExit() + ") before answering; see " + log);
    }

    private int waitExit() {
        try {
            return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Asks the child to exit, then ends it if it does not within 30 s. Idempotent. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            try {
                toPeer.newLine();
                toPeer.flush();
            } catch (IOException ignored) {
                // the peer is already gone
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
