package dev.weft.executor;

import dev.weft.api.Weft;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runnable example: code written against {@link ExecutorService} (a Monte Carlo estimate of pi) runs on Weft
 * unchanged, then {@code parallelMap} counts primes below each bound. Run it with the engine on the class path;
 * {@code WEFT_ADDRESS=host:port} runs the same program on a cluster.
 */
public final class ExecutorExample {
    private ExecutorExample() {
    }

    /** One batch of darts; a record, so it ships to any node by value. */
    record Darts(long seed, int count) implements Callable<Long>, Serializable {
        @Override
        public Long call() {
            SplittableRandom random = new SplittableRandom(seed);
            long inside = 0;
            for (int i = 0; i < count; i++) {
                double x = random.nextDouble();
                double y = random.nextDouble();
                if (x * x + y * y <= 1) {
                    inside++;
                }
            }
            return inside;
        }
    }

    /** Plain java.util.concurrent code: it knows nothing of Weft. */
    static double estimatePi(ExecutorService executor, int batches, int dartsPerBatch) throws Exception {
        List<Callable<Long>> work = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            work.add(new Darts(i, dartsPerBatch));
        }
        long inside = 0;
        for (Future<Long> f : executor.invokeAll(work)) {
            inside += f.get();
        }
        return 4.0 * inside / ((long) batches * dartsPerBatch);
    }

    public static int primesBelow(int bound) {
        int count = 0;
        for (int n = 2; n < bound; n++) {
            boolean prime = true;
            for (int d = 2; (long) d * d <= n && prime; d++) {
                prime = n % d != 0;
            }
            count += prime ? 1 : 0;
        }
        return count;
    }

    /** Returns {pi estimate, primes below 10, 100, 1000, 10000}. */
    static List<Object> run(Weft weft) throws Exception {
        try (WeftExecutorService executor = WeftExecutorService.builder(weft).numCpus(1).build()) {
            double pi = estimatePi(executor, 16, 200_000);
            List<Integer> primes = executor.parallelMap(List.of(10, 100, 1000, 10_000), ExecutorExample::primesBelow);
            List<Object> out = new ArrayList<>();
            out.add(pi);
            out.addAll(primes);
            return out;
        }
    }

    public static void main(String[] args) throws Exception {
        try (Weft weft = Weft.init()) {
            List<Object> r = run(weft);
            System.out.printf("pi ~ %.4f; primes below 10, 100, 1000, 10000: %s%n", r.get(0), r.subList(1, r.size()));
        }
    }
}
