package dev.weft.bench.core;

import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
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
 * Task shapes of {@code ray microbenchmark}: single client sync and async, multi client async, and wait on 1k
 * refs. Each {@code xBaseline} runs the same shape on a bare {@link ForkJoinPool} with {@link CompletableFuture}.
 * Scores are tasks (or waits) per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TaskBenchmarks {
    static final int BATCH = 1_000;

    Weft weft;
    ForkJoinPool pool;

    @Setup(Level.Trial)
    public void start() {
        weft = Weft.init();
        pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    }

    @TearDown(Level.Trial)
    public void stop() {
        weft.close();
        pool.shutdownNow();
    }

    @Benchmark
    public int tasksSync() {
        return weft.task(Noop::nothing).remote().get();
    }

    @Benchmark
    public int tasksSyncBaseline() {
        return CompletableFuture.supplyAsync(Noop.NOTHING, pool).join();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int tasksAsync() {
        return submitAndGet(weft);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int tasksAsyncBaseline() {
        return submitAndJoin(pool);
    }

    @Benchmark
    @Threads(4)
    @OperationsPerInvocation(BATCH)
    public int multiClientTasksAsync() {
        return submitAndGet(weft);
    }

    @Benchmark
    @Threads(4)
    @OperationsPerInvocation(BATCH)
    public int multiClientTasksAsyncBaseline() {
        return submitAndJoin(pool);
    }

    /** One op: submit 1,000 tasks and wait for all of them with a single wait. */
    @Benchmark
    public int wait1kRefs() {
        List<ObjectRef<Integer>> refs = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            refs.add(weft.task(Noop::nothing).remote());
        }
        int ready = weft.wait(refs).getReady().size();
        refs.forEach(ObjectRef::close);
        return ready;
    }

    @Benchmark
    public int wait1kRefsBaseline() {
        CompletableFuture<?>[] futures = new CompletableFuture<?>[BATCH];
        for (int i = 0; i < BATCH; i++) {
            futures[i] = CompletableFuture.supplyAsync(Noop.NOTHING, pool);
        }
        CompletableFuture.allOf(futures).join();
        return futures.length;
    }

    static int submitAndGet(Weft weft) {
        List<ObjectRef<Integer>> refs = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            refs.add(weft.task(Noop::nothing).remote());
        }
        int sum = 0;
        for (int v : weft.get(refs)) {
            sum += v;
        }
        refs.forEach(ObjectRef::close);
        return sum;
    }

    static int submitAndJoin(ForkJoinPool pool) {
        List<CompletableFuture<Integer>> futures = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            futures.add(CompletableFuture.supplyAsync(Noop.NOTHING, pool));
        }
        int sum = 0;
        for (CompletableFuture<Integer> f : futures) {
            sum += f.join();
        }
        return sum;
    }
}
