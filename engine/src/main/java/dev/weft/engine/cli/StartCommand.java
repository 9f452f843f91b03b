package dev.weft.engine.cli;

import dev.weft.engine.internal.cluster.ClusterProtocol;
import dev.weft.engine.internal.cluster.ClusterTls;
import dev.weft.engine.internal.cluster.GcsServer;
import dev.weft.engine.internal.cluster.JobManager;
import dev.weft.engine.internal.cluster.NodeHost;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weft start}: a head (GCS + a node) or a worker node in a JVM of its own. Without {@code --block} it
 * starts that JVM in the background (logging to the session directory) and returns once the node is up.
 */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Start a head (--head) or a worker node (--address).")
final class StartCommand implements Callable<Integer> {
    @Option(names = "--head", description = "start the head: the GCS and a node")
    boolean head;

    @Option(names = "--address", description = "host:port of the head to join (workers)")
    String address;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "the address this node listens on and is reached at (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", description = "the port to listen on (head default 6380; workers default: any free port)")
    Integer port;

    @Option(names = "--num-cpus", description = "CPUs this node offers (default: this machine's)")
    Double cpus;

    @Option(names = "--num-gpus", defaultValue = "0", description = "GPUs this node offers")
    double gpus;

    @Option(names = "--resources", description = "custom resources, e.g. --resources accelerator=2")
    Map<String, Double> resources = new LinkedHashMap<>();

    @Option(names = "--object-store-bytes", defaultValue = "0", description = "object store capacity (default: 30%% of memory)")
    long objectStoreBytes;

    @Option(names = "--journal-dir", description = "head: the GCS journal directory (Chronicle Queue); replayed on restart")
    Path journalDir;

    @Option(names = "--session-dir", description = "where the head writes its address and token (default: ${java.io.tmpdir}/weft-session)")
    Path sessionDir;

    @Option(names = "--token", description = "workers: the cluster token (default: $WEFT_TOKEN, else the session directory's)")
    String token;

    @Option(names = "--heartbeat-interval-ms", defaultValue = "500")
    long heartbeatMillis;

    @Option(names = "--heartbeat-timeout-ms", defaultValue = "3000", description = "head: a node or driver silent this long is dead (default: ${DEFAULT-VALUE})")
    long deadAfterMillis;

    @Option(names = "--tls-cert", description = "serve gRPC over TLS with this certificate chain (PEM); every node and driver of the cluster needs TLS then (default: $WEFT_TLS_CERT)")
    Path tlsCert;

    @Option(names = "--tls-key", description = "the private key of --tls-cert (PEM, PKCS#8; default: $WEFT_TLS_KEY)")
    Path tlsKey;

    @Option(names = "--tls-ca", description = "the certificates to trust (PEM; default: $WEFT_TLS_CA, else --tls-cert)")
    Path tlsCa;

    @Option(names = "--reconnect-window-ms", defaultValue = "30000", description = "head: after a restart on its journal, how long its nodes and drivers have to come back (default: ${DEFAULT-VALUE})")
    long reconnectWindowMillis;

    @Option(names = "--block", description = "run in the foreground until stopped")
    boolean block;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (head == (address != null)) {
            System.err.println("weft start: give either --head or --address host:port");
            return 2;
        }
        Path session = sessionDir != null ? sessionDir : ClusterProtocol.defaultSessionDir();
        Files.createDirectories(session);
        if (!block) {
            return background(session);
        }
        Map<String, Double> res = new LinkedHashMap<>(resources);
        if (gpus > 0) {
            res.put("GPU", gpus);
        }
        double cpu = cpus != null ? cpus : Runtime.getRuntime().availableProcessors();
        ClusterTls env = ClusterTls.fromEnvironment();
        ClusterTls tls = new ClusterTls(tlsCert != null ? tlsCert : env.cert(), tlsKey != null ? tlsKey : env.key(),
                tlsCa != null ? tlsCa : env.ca());
        if (head) {
            return runHead(session, res, cpu, tls);
        }
        String t = token != null ? token : System.getenv(ClusterProtocol.TOKEN_ENV);
        if (t == null) {
            t = ClusterProtocol.readToken(session);
        }
        String gcs = ClusterProtocol.parseAddress(address).getHostString() + ":" + ClusterProtocol.parseAddress(address).getPort();
        NodeHost node = NodeHost.start(new NodeHost.Settings(host, port == null ? 0 : port, cpu, res, objectStoreBytes,
                gcs, t, heartbeatMillis, tls), List.of(), a -> { });
        System.out.println("weft: node " + node.nodeId() + " at " + node.address() + " joined " + gcs + "; ready");
        System.out.flush();
        awaitStop(node);
        return 0;
    }

    private int runHead(Path session, Map<String, Double> res, double cpu, ClusterTls tls) throws Exception {
        Path journalToken = journalDir == null ? null : journalDir.resolve(ClusterProtocol.TOKEN_FILE);
        String t = token;
        if (t == null && journalToken != null && Files.isRegularFile(journalToken)) {
            t = Files.readString(journalToken).trim(); // a restarted head keeps its cluster's token
        }
        if (t == null) {
            t = ClusterProtocol.newToken();
        }
        if (journalToken != null) {
            Files.createDirectories(journalDir);
            Files.writeString(journalToken, t);
        }
        Files.deleteIfExists(session.resolve(ClusterProtocol.ADDRESS_FILE));
        Path tokenFile = session.resolve(ClusterProtocol.TOKEN_FILE);
        Files.writeString(tokenFile, t);
        try {
            Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the file keeps the default permissions
        }
        Object[] holder = new Object[1];
        GcsServer gcs = new GcsServer(journalDir == null ? null : GcsServer.GcsJournalHandle.open(journalDir),
                heartbeatMillis, deadAfterMillis, reconnectWindowMillis, t, tls, () -> {
                    if (holder[0] instanceof NodeHost n) {
                        n.close();
                    }
                });
        NodeHost node;
        JobManager jobs;
        try {
            jobs = new JobManager(session.resolve("jobs"), () -> ((NodeHost) holder[0]).address(), t, tls);
            node = NodeHost.start(new NodeHost.Settings(host, port == null ? 6380 : port, cpu, res, objectStoreBytes,
                    null, t, heartbeatMillis, tls), List.of(gcs, jobs), gcs::headAddress);
        } catch (IOException | RuntimeException e) {
            gcs.close();
            throw e;
        }
        holder[0] = node;
        Files.writeString(session.resolve(ClusterProtocol.ADDRESS_FILE), node.address());
        System.out.println("weft: head " + node.nodeId() + " at " + node.address() + "; ready");
        System.out.println("weft: cluster token (also in " + tokenFile + "): " + t);
        System.out.println("weft: connect with WEFT_ADDRESS=" + node.address() + " WEFT_TOKEN=" + t);
        System.out.flush();
        try {
            awaitStop(node);
        } finally {
            jobs.close();
            gcs.close();
        }
        return 0;
    }

    private static void awaitStop(NodeHost node) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "weft-node-shutdown"));
        node.awaitStop();
        node.close();
    }

    /** Starts this command again with {@code --block} in a JVM of its own and waits until it says it is ready. */
    private int background(Path session) throws IOException, InterruptedException {
        Path logs = Files.createDirectories(session.resolve("logs"));
        Path log = logs.resolve((head ? "head" : "worker") + "-" + System.currentTimeMillis() + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(WeftCli.class.getName());
        cmd.addAll(spec.commandLine().getParseResult().originalArgs()); // "start" and the options as given
        cmd.add("--block");
        if (sessionDir == null) {
            cmd.add("--session-dir");
            cmd.add(session.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (text.contains("; ready")) {
                text.lines().filter(l -> l.startsWith("weft:")).forEach(System.out::println);
                System.out.println("weft: log in " + log + " (pid " + p.pid() + ")");
                return 0;
            }
            if (!p.isAlive()) {
                System.err.println("weft start failed (exit " + p.exitValue() + "); its log " + log + ":\n" + text);
                return 1;
            }
            Thread.sleep(100);
        }
        System.err.println("weft start: the node did not come up within 60 s; see " + log);
        p.destroy();
        return 1;
    }
}
