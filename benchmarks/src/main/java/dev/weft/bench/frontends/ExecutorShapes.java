package dev.weft.bench.frontends;

import dev.weft.api.Weft;
import dev.weft.executor.WeftExecutorService;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** WeftExecutorService vs ThreadPoolExecutor: many tiny callables, and a CPU-heavy batch. */
final class ExecutorShapes {
    private ExecutorShapes() {
    }

    /** A tiny task: returns its input plus one. */
    record Tiny(int i) implements Callable<Long>, Serializable {
        @Override
        public Long call() {
            return i + 1L;
        }
    }

    /** About {@code rounds} xorshift steps of CPU work (tens of milliseconds for millions of rounds). */
    record Burn(long seed, int rounds) implements Callable<Long>, Serializable {
        @Override
        public Long call() {
            long x = seed | 1;
            long acc = 0;
            for (int i = 0; i < rounds; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                acc += x & 0xff;
            }
            return acc;
        }
    }

    /** Submits every task, then reads every result; the sum of the results is the check value. */
    static Engine.Outcome submitAll(ExecutorService executor, List<? extends Callable<Long>> tasks) throws Exception {
        long start = System.nanoTime();
        List<Future<Long>> futures = new ArrayList<>(tasks.size());
        for (Callable<Long> t : tasks) {
            futures.add(executor.submit(t));
        }
        long sum = 0;
        for (Future<Long> f : futures) {
            sum += f.get();
        }
        return new Engine.Outcome((System.nanoTime() - start) / 1e9, sum);
    }

    static List<Tiny> tiny(int n) {
        List<Tiny> t = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            t.add(new Tiny(i));
        }
        return t;
    }

    static List<Burn> burn(int n, int rounds) {
        List<Burn> t = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            t.add(new Burn(i * 7919L, rounds));
        }
        return t;
    }

    static Engine engine(String name, ExecutorService executor, List<? extends Callable<Long>> tasks) {
        return new Engine() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Outcome run() throws Exception {
                return submitAll(executor, tasks);
            }
        };
    }

    static WeftExecutorService weft(Weft weft) {
        return WeftExecutorService.create(weft);
    }
}
