package dev.weft.examples;

import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;

/**
 * The task graph of the demo: counts primes in [from, to) by splitting the range in two until it is small,
 * fanning out tasks and fanning their counts back in. Inner tasks block in {@code get} while their children
 * run, so the tree is deeper than the cluster has CPUs (Weft lends a blocked task's CPU back).
 */
public final class PrimeCount {
    /** Ranges at most this long are counted in one task. */
    public static final int LEAF = 25_000;

    private PrimeCount() {
    }

    /** A task: the number of primes in [from, to). */
    public static long count(int from, int to) {
        if (to - from <= LEAF) {
            return countLocally(from, to);
        }
        int mid = from + (to - from) / 2;
        Weft weft = Weft.current();
        try (ObjectRef<Long> left = weft.task(PrimeCount::count, from, mid).name("primes").remote();
             ObjectRef<Long> right = weft.task(PrimeCount::count, mid, to).name("primes").remote()) {
            return left.get() + right.get();
        }
    }

    /** How many tasks {@link #count} runs for [from, to). */
    public static int taskCount(int from, int to) {
        if (to - from <= LEAF) {
            return 1;
        }
        int mid = from + (to - from) / 2;
        return 1 + taskCount(from, mid) + taskCount(mid, to);
    }

    static long countLocally(int from, int to) {
        long n = 0;
        for (int i = Math.max(from, 2); i < to; i++) {
            if (isPrime(i)) {
                n++;
            }
        }
        return n;
    }

    /** A sieve of Eratosthenes below {@code limit}: the check for the task graph's answer. */
    static long sieve(int limit) {
        if (limit < 3) {
            return 0;
        }
        boolean[] composite = new boolean[limit];
        long n = 0;
        for (int i = 2; i < limit; i++) {
            if (!composite[i]) {
                n++;
                for (long j = (long) i * i; j < limit; j += i) {
                    composite[(int) j] = true;
                }
            }
        }
        return n;
    }

    private static boolean isPrime(int n) {
        if (n % 2 == 0) {
            return n == 2;
        }
        for (int d = 3; (long) d * d <= n; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}
