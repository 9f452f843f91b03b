package dev.weft.engine.api;

import dev.weft.util.Queue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Functions and an actor for the typed-call, numReturns and dev.weft.util contracts. Public static, for every runtime. */
public final class CallFns {
    private CallFns() {
    }

    public static long squareLong(long x) {
        return x * x;
    }

    public static String describe(String s, long n) {
        return s + ":" + n;
    }

    /** Smallest, largest and count of {@code xs}: three results for {@code numReturns(3)}. */
    public static List<Integer> minMaxCount(List<Integer> xs) {
        return List.of(Collections.min(xs), Collections.max(xs), xs.size());
    }

    public static int[] pair(int a, int b) {
        return new int[] {a, b};
    }

    /** A list of {@code n} elements, whatever was declared. */
    public static List<Integer> listOf(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    public static List<Integer> nothing(int ignored) {
        return null;
    }

    public static String notAList(int ignored) {
        return "just one";
    }

    public static List<Integer> failing(String message) {
        throw new IllegalStateException(message);
    }

    public static int putAll(Queue<Integer> queue, int from, int count) {
        for (int i = from; i < from + count; i++) {
            queue.put(i);
        }
        return count;
    }

    /** An actor: a worker that scales, splits, and waits on a queue when told to. */
    public static final class Worker {
        private final int factor;

        public Worker(long factor) {
            this.factor = (int) factor;
        }

        public int scale(int x) {
            return x * factor;
        }

        public List<Integer> split(int x) {
            return List.of(x / factor, x % factor);
        }

        /** Returns the next item of {@code queue} times the factor: a call that completes only when the test says. */
        public int scaleNextOf(Queue<Integer> queue) {
            return queue.get() * factor;
        }
    }
}
