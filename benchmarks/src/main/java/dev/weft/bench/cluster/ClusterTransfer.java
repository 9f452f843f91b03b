package dev.weft.bench.cluster;

import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Object transfer between JVMs: a {@code byte[]} made by a task in the head's JVM and read by this driver (a pull of
 * the stored object over the cluster's gRPC stream), beside a plain loopback socket copy of the same number of bytes
 * between the same two JVMs in the same run (a task in the head allocates and fills the array, then writes it to a
 * socket this JVM reads into an array of its own). Both clocks start once the bytes exist on the sending side and stop
 * when the receiver holds them all.
 * Usage: {@code ClusterTransfer [runs] [sizes in MiB, comma-separated]}; the head is started here with a 4 GiB heap
 * and a store large enough for the biggest size.
 */
public final class ClusterTransfer {
    private ClusterTransfer() {
    }

    /** A filled array of {@code n} bytes (a pattern, so no page is left untouched). */
    public static byte[] make(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >>> 11));
        }
        return b;
    }

    /** Fills an array of {@code n} bytes, then writes it to 127.0.0.1:{@code port}; returns the bytes written. */
    public static int send(int n, int port) throws IOException {
        byte[] b = make(n);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port); OutputStream out = s.getOutputStream()) {
            s.setSendBufferSize(4 << 20);
            out.write(b);
            out.flush();
        }
        return n;
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int[] mib = Arrays.stream((args.length > 1 ? args[1] : "1,16,100,1024").split(",")).mapToInt(Integer::parseInt).toArray();
        long largest = (long) Arrays.stream(mib).max().orElse(1) << 20;
        Path session = Files.createTempDirectory("weft-bench-transfer");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--") || a.startsWith("-Dchronicle")).toList());
        cmd.addAll(List.of("-Xmx4g", "-cp", System.getProperty("java.class.path"), "dev.weft.engine.cli.WeftCli",
                "start", "--head", "--port", "0", "--num-cpus", "2", "--object-store-bytes",
                String.valueOf(2 * largest + (256L << 20)), "--session-dir", session.toString(),
                "--heartbeat-timeout-ms", "10000", "--block"));
        Process head = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(session.resolve("head.log").toFile()).start();
        try {
            while (!Files.exists(session.resolve("address"))) {
                if (!head.isAlive()) {
                    throw new IllegalStateException("head died: " + Files.readString(session.resolve("head.log")));
                }
                Thread.sleep(50);
            }
            WeftConfig remote = WeftConfig.builder().address(Files.readString(session.resolve("address")).trim())
                    .property("token", Files.readString(session.resolve("token")).trim())
                    .objectStoreBytes(2 * largest + (256L << 20)).build();
            try (Weft weft = Weft.init(remote); ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                for (int i = 0; i < 30; i++) { // warm-up of both paths: the first pulls ran interpreted, 3x slower
                    pull(weft, i < 25 ? 1 << 20 : 32 << 20);
                    socket(weft, server, i < 25 ? 1 << 20 : 32 << 20);
                }
                System.out.printf("%-10s %-28s %-28s %s%n", "size", "Weft pull GB/s (min-max)", "socket copy GB/s (min-max)",
                        "Weft / socket (medians)");
                for (int m : mib) {
                    int n = Math.toIntExact((long) m << 20);
                    double[] w = new double[runs];
                    double[] s = new double[runs];
                    for (int r = 0; r < runs; r++) { // alternating, so drift on a shared machine hits both alike
                        w[r] = n / pull(weft, n) / 1e9;
                        s[r] = n / socket(weft, server, n) / 1e9;
                    }
                    Arrays.sort(w);
                    Arrays.sort(s);
                    System.out.printf("%-10s %-28s %-28s %.2f%n", m + " MiB",
                            String.format("%.2f (%.2f-%.2f)", w[runs / 2], w[0], w[runs - 1]),
                            String.format("%.2f (%.2f-%.2f)", s[runs / 2], s[0], s[runs - 1]), w[runs / 2] / s[runs / 2]);
                }
            }
        } finally {
            head.destroy();
            if (!head.waitFor(10, TimeUnit.SECONDS)) {
                head.destroyForcibly();
            }
        }
    }

    /** Seconds to get a {@code n}-byte object made in the head. */
    private static double pull(Weft weft, int n) {
        try (ObjectRef<byte[]> ref = weft.task(ClusterTransfer::make, n).remote()) {
            weft.wait(List.of(ref), 1, null);
            long t0 = System.nanoTime();
            byte[] got = ref.get();
            double s = (System.nanoTime() - t0) / 1e9;
            if (got.length != n || got[n - 1] != (byte) ((n - 1) * 31 + ((n - 1) >>> 11))) {
                throw new IllegalStateException("the pulled object is not what was made (" + got.length + " bytes)");
            }
            return s;
        }
    }

    /** Seconds for a plain socket copy of {@code n} bytes from the head's JVM into this one. */
    private static double socket(Weft weft, ServerSocket server, int n) throws IOException {
        try (ObjectRef<Integer> sent = weft.task(ClusterTransfer::send, n, server.getLocalPort()).remote();
             Socket s = server.accept()) {
            s.setReceiveBufferSize(4 << 20);
            long t0 = System.nanoTime();
            byte[] into = new byte[n];
            try (InputStream in = s.getInputStream()) {
                new DataInputStream(in).readFully(into);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            sent.get();
            return secs;
        }
    }
}
