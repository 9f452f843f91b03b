package dev.weft.taskgraph;

import java.util.List;
import java.util.Random;

/** Graph functions for the tests and the example: public static, so any scheduler can run them anywhere. */
public final class Fns {
    static final long P = 1_000_000_007L;

    private Fns() {
    }

    public static long inc(long x) {
        return x + 1;
    }

    public static long add(long a, long b) {
        return a + b;
    }

    public static long mul(long a, long b) {
        return a * b;
    }

    public static long sum(List<Long> xs) {
        long s = 0;
        for (long x : xs) {
            s += x;
        }
        return s;
    }

    public static long one(long a, long salt) {
        return (a * 31 + salt) % P;
    }

    public static long two(long a, long b, long salt) {
        return (a * 31 + b * 17 + salt) % P;
    }

    public static long three(long a, long b, long c, long salt) {
        return (a * 31 + b * 17 + c * 13 + salt) % P;
    }

    public static long many(List<Long> xs, long salt) {
        long h = salt;
        for (long x : xs) {
            h = (h * 7 + x) % P;
        }
        return h;
    }

    public static long failIfNegative(long x) {
        if (x < 0) {
            throw new IllegalStateException("negative input " + x);
        }
        return x;
    }

    public static long explode(long x) {
        throw new IllegalStateException("this key must have been culled (input " + x + ")");
    }

    public static double[] vector(int n, long seed) {
        double[] v = new double[n];
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(1000);
        }
        return v;
    }

    public static double total(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    /** A random graph of {@code size} keys: literals, chains, 1 to 3 dependencies, now and then a list of six. */
    static TaskGraph randomGraph(int size, long seed) {
        Random r = new Random(seed);
        TaskGraph.Builder b = TaskGraph.builder();
        for (int i = 0; i < size; i++) {
            String key = "k" + i;
            double p = r.nextDouble();
            if (i < 20 || p < 0.05) {
                b.value(key, (long) r.nextInt(1000));
            } else if (p < 0.40) {
                b.task(key, Fns::one, TaskGraph.dep("k" + (i - 1)), (long) i);
            } else if (p < 0.65) {
                b.task(key, Fns::one, TaskGraph.dep(pick(r, i)), (long) i);
            } else if (p < 0.85) {
                b.task(key, Fns::two, TaskGraph.dep(pick(r, i)), TaskGraph.dep(pick(r, i)), (long) i);
            } else if (p < 0.99) {
                b.task(key, Fns::three, TaskGraph.dep(pick(r, i)), TaskGraph.dep(pick(r, i)),
                        TaskGraph.dep(pick(r, i)), (long) i);
            } else {
                List<String> six = List.of(pick(r, i), pick(r, i), pick(r, i), pick(r, i), pick(r, i), pick(r, i));
                b.task(key, Fns::many, TaskGraph.deps(six), (long) i);
            }
        }
        b.task("poison", Fns::explode, TaskGraph.dep("k5"));
        return b.build();
    }

    private static String pick(Random r, int below) {
        return "k" + r.nextInt(below);
    }
}
