package dev.weft.bench.cluster;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Async and sync tasks and actor calls into another JVM (a one-node cluster: the head, started here with
 * {@code weft start --head --block}) beside the same shapes on the embedded cluster, in one run. Async = submit all,
 * then get all; sync = submit one, get it, then the next (a tenth as many).
 * Usage: {@code ClusterThroughput [runs] [tasks] [calls]}; prints one line per shape with median and range. System
 * properties: {@code bench.shapes} runs only the shapes whose name contains it, spaces written as {@code _} (e.g.
 * {@code another_JVM});
 * {@code bench.headJvmArgs} adds JVM options to the head (e.g. a flight recording). The head
 * gets a 10 s heartbeat timeout: on a shared, overloaded machine the default 3 s declared the busy driver dead.
 */
public final class ClusterThroughput {
    private ClusterThroughput() {
    }

    public static int one() {
        return 1;
    }

    public static final class Sink {
        private long n;

        public long add(int x) {
            n += x;
            return n;
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        Path session = Files.createTempDirectory("weft-bench-session");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--") || a.startsWith("-Dchronicle")).toList());
        String headArgs = System.getProperty("bench.headJvmArgs", "").trim();
        if (!headArgs.isEmpty()) {
            cmd.addAll(Arrays.asList(headArgs.split("\\s+")));
        }
        cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), "dev.weft.engine.cli.WeftCli",
                "start", "--head", "--port", "0", "--num-cpus", "2", "--object-store-bytes", String.valueOf(256L << 20),
                "--session-dir", session.toString(), "--heartbeat-timeout-ms", "10000", "--block"));
        Process head = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(session.resolve("head.log").toFile()).start();
        try {
            while (!Files.exists(session.resolve("address"))) {
                if (!head.isAlive()) {
                    throw new IllegalStateException("head died: " + Files.readString(session.resolve("head.log")));
                }
                Thread.sleep(50);
            }
            String address = Files.readString(session.resolve("address")).trim();
            String token = Files.readString(session.resolve("token")).trim();
            WeftConfig remote = WeftConfig.builder().address(address).property("token", token).build();
            WeftConfig local = WeftConfig.builder().address("local").nodes(1, 2).objectStoreBytes(256L << 20).build();
            headProcess = head.toHandle();
            report("tasks/s, embedded (1 node, 2 CPUs)", local, runs, tasks, w -> tasks(w, tasks));
            report("tasks/s, to another JVM (1 node, 2 CPUs)", remote, runs, tasks, w -> tasks(w, tasks));
            report("actor calls/s, embedded", local, runs, calls, w -> calls(w, calls));
            report("actor calls/s, actor in another JVM", remote, runs, calls, w -> calls(w, calls));
            report("sync tasks/s, embedded", local, runs, tasks / 10, w -> syncTasks(w, tasks / 10));
            report("sync tasks/s, to another JVM", remote, runs, tasks / 10, w -> syncTasks(w, tasks / 10));
            report("sync actor calls/s, embedded", local, runs, calls / 10, w -> syncCalls(w, calls / 10));
            report("sync actor calls/s, actor in another JVM", remote, runs, calls / 10, w -> syncCalls(w, calls / 10));
        } finally {
            head.destroy(); // a normal exit first, so a flight recording given in bench.headJvmArgs is written
            if (!head.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                head.destroyForcibly();
            }
        }
    }

    interface Shape {
        double run(Weft weft);
    }

    private static ProcessHandle headProcess;

    /**
     * CPU time used so far by this JVM and the head's, in ns: on a machine shared with other work the CPU spent per
     * operation moves far less than the rate does.
     */
    private static long driverCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long headCpuNanos() {
        return headProcess.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    /** Per timed run: {rate, CPU microseconds per operation in this JVM, the same in the head's}. */
    private static double[][] measure(WeftConfig config, int runs, int ops, Shape shape) {
        try (Weft weft = Weft.init(config)) {
            shape.run(weft); // warm-up
            double[][] out = new double[3][runs];
            for (int i = 0; i < runs; i++) {
                long driver0 = driverCpuNanos();
                long head0 = headCpuNanos();
                out[0][i] = shape.run(weft);
                out[1][i] = (driverCpuNanos() - driver0) / 1e3 / ops;
                out[2][i] = (headCpuNanos() - head0) / 1e3 / ops;
            }
            return out;
        }
    }

    private static double tasks(Weft weft, int n) {
        long t0 = System.nanoTime();
        List<ObjectRef<Integer>> refs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            refs.add(weft.task(ClusterThroughput::one).remote());
        }
        weft.get(refs);
        double rate = n / ((System.nanoTime() - t0) / 1e9);
        refs.forEach(ObjectRef::close);
        return rate;
    }

    private static double calls(Weft weft, int n) {
        ActorHandle<Sink> sink = weft.actor(Sink::new).remote();
        sink.task(Sink::add, 0).remote().get();
        long t0 = System.nanoTime();
        List<ObjectRef<Long>> refs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            refs.add(sink.task(Sink::add, 1).remote());
        }
        weft.get(refs);
        double rate = n / ((System.nanoTime() - t0) / 1e9);
        refs.forEach(ObjectRef::close);
        weft.kill(sink);
        return rate;
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double syncTasks(Weft weft, int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (ObjectRef<Integer> ref = weft.task(ClusterThroughput::one).remote()) {
                ref.get();
            }
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static double syncCalls(Weft weft, int n) {
        ActorHandle<Sink> sink = weft.actor(Sink::new).remote();
        sink.task(Sink::add, 0).remote().get();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (ObjectRef<Long> ref = sink.task(Sink::add, 1).remote()) {
                ref.get();
            }
        }
        double rate = n / ((System.nanoTime() - t0) / 1e9);
        weft.kill(sink);
        return rate;
    }

    private static void report(String what, WeftConfig config, int runs, int ops, Shape shape) {
        String only = System.getProperty("bench.shapes");
        if (only == null || what.replace(' ', '_').contains(only.replace(' ', '_'))) {
            double[][] m = measure(config, runs, ops, shape);
            double[] s = m[0].clone();
            Arrays.sort(s);
            System.out.printf("%-45s median %,10.0f  min %,10.0f  max %,10.0f  (%d runs)  CPU us/op: this JVM %,6.1f,"
                    + " head %,6.1f%n", what, s[s.length / 2], s[0], s[s.length - 1], s.length, median(m[1]), median(m[2]));
        }
    }
}
