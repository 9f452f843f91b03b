package dev.weft.bench.core;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Actor-call shapes of {@code ray microbenchmark}: 1:1 sync, async and concurrent, 1:n async, n:n async. The
 * baseline of a (serial) actor is a single-threaded executor running the same method on a plain object; of a
 * concurrent actor, a {@link ForkJoinPool}. Scores are calls per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ActorBenchmarks {
    static final int BATCH = 1_000;
    static final int N = 4;

    @State(Scope.Benchmark)
    public static class Cluster {
        Weft weft;
        ActorHandle<Noop> actor;
        ActorHandle<Noop> concurrentActor;
        List<ActorHandle<Noop>> actors = new ArrayList<>();
        ExecutorService serial;
        ForkJoinPool pool;
        Noop plain;
        List<ExecutorService> serials = new ArrayList<>();
        List<Noop> plains = new ArrayList<>();

        @Setup(Level.Trial)
        public void start() {
            weft = Weft.init();
            actor = weft.actor(Noop::new).remote();
            concurrentActor = weft.actor(Noop::new).maxConcurrency(16).remote();
            for (int i = 0; i < N; i++) {
                actors.add(weft.actor(Noop::new).remote());
                serials.add(Executors.newSingleThreadExecutor());
                plains.add(new Noop());
            }
            serial = Executors.newSingleThreadExecutor();
            pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
            plain = new Noop();
        }

        @TearDown(Level.Trial)
        public void stop() {
            weft.close();
            serial.shutdownNow();
            pool.shutdownNow();
            serials.forEach(ExecutorService::shutdownNow);
        }
    }

    /** For n:n: each calling thread has its own actor (and its own baseline executor). */
    @State(Scope.Thread)
    public static class Caller {
        ActorHandle<Noop> actor;
        ExecutorService serial;
        Noop plain;

        @Setup(Level.Trial)
        public void start(Cluster cluster) {
            actor = cluster.weft.actor(Noop::new).remote();
            serial = Executors.newSingleThreadExecutor();
            plain = new Noop();
        }

        @TearDown(Level.Trial)
        public void stop() {
            serial.shutdownNow();
        }
    }

    @Benchmark
    public int actorCallsSync(Cluster c) {
        return c.actor.task(Noop::call).remote().get();
    }

    @Benchmark
    public int actorCallsSyncBaseline(Cluster c) {
        Noop plain = c.plain;
        return CompletableFuture.supplyAsync(plain::call, c.serial).join();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int actorCallsAsync(Cluster c) {
        return callAll(c.weft, List.of(c.actor));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int actorCallsAsyncBaseline(Cluster c) {
        return runAll(List.of(c.serial), List.of(c.plain));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int actorCallsConcurrent(Cluster c) {
        return callAll(c.weft, List.of(c.concurrentActor));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int actorCallsConcurrentBaseline(Cluster c) {
        return runAll(List.of(c.pool), List.of(new Noop()));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int actorCallsOneToN(Cluster c) {
        return callAll(c.weft, c.actors);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int actorCallsOneToNBaseline(Cluster c) {
        return runAll(c.serials, c.plains);
    }

    @Benchmark
    @Threads(N)
    @OperationsPerInvocation(BATCH)
    public int actorCallsNToN(Cluster c, Caller me) {
        return callAll(c.weft, List.of(me.actor));
    }

    @Benchmark
    @Threads(N)
    @OperationsPerInvocation(BATCH)
    public int actorCallsNToNBaseline(Caller me) {
        return runAll(List.of(me.serial), List.of(me.plain));
    }

    /** 1,000 calls spread round-robin over {@code actors}, then a get of every result. */
    static int callAll(Weft weft, List<ActorHandle<Noop>> actors) {
        List<ObjectRef<Integer>> refs = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            refs.add(actors.get(i % actors.size()).task(Noop::call).remote());
        }
        int last = 0;
        for (int v : weft.get(refs)) {
            last = v;
        }
        refs.forEach(ObjectRef::close);
        return last;
    }

    static int runAll(List<? extends java.util.concurrent.Executor> executors, List<Noop> targets) {
        List<CompletableFuture<Integer>> futures = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            Noop target = targets.get(i % targets.size());
            Supplier<Integer> call = target::call;
            futures.add(CompletableFuture.supplyAsync(call, executors.get(i % executors.size())));
        }
        int last = 0;
        for (CompletableFuture<Integer> f : futures) {
            last = f.join();
        }
        return last;
    }
}
