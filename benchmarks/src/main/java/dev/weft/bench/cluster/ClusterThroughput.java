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
 * Usage: {@code ClusterThroughput [runs] [tasks] [calls]}; prints one line per shape with median and range. The head
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
            report("tasks/s, embedded (1 node, 2 CPUs)", measure(local, runs, w -> tasks(w, tasks)));
            report("tasks/s, to another JVM (1 node, 2 CPUs)", measure(remote, runs, w -> tasks(w, tasks)));
            report("actor calls/s, embedded", measure(local, runs, w -> calls(w, calls)));
            report("actor calls/s, actor in another JVM", measure(remote, runs, w -> calls(w, calls)));
            report("sync tasks/s, embedded", measure(local, runs, w -> syncTasks(w, tasks / 10)));
            report("sync tasks/s, to another JVM", measure(remote, runs, w -> syncTasks(w, tasks / 10)));
            report("sync actor calls/s, embedded", measure(local, runs, w -> syncCalls(w, calls / 10)));
            report("sync actor calls/s, actor in another JVM", measure(remote, runs, w -> syncCalls(w, calls / 10)));
        } finally {
            head.destroyForcibly();
        }
    }

    interface Shape {
        double run(Weft weft);
    }

    private static double[] measure(WeftConfig config, int runs, Shape shape) {
        try (Weft weft = Weft.init(config)) {
            shape.run(weft); // warm-up
            double[] out = new double[runs];
            for (int i = 0; i < runs; i++) {
                out[i] = shape.run(weft);
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

    private static void report(String what, double[] rates) {
        double[] s = rates.clone();
        Arrays.sort(s);
        System.out.printf("%-45s median %,10.0f  min %,10.0f  max %,10.0f  (%d runs)%n", what, s[s.length / 2], s[0],
                s[s.length - 1], s.length);
    }
}
