package dev.weft.examples;

import java.util.SplittableRandom;

/**
 * The actor pipeline of the demo: a {@link Generator} makes chunks of numbers, a {@link Filter} keeps the
 * multiples of 3, a {@link Summer} adds up their squares. Each stage's result goes to the next stage as an
 * {@code ObjectRef}; the driver never touches the chunks.
 */
public final class Pipeline {
    /** Numbers per chunk. */
    public static final int CHUNK = 4_096;

    private Pipeline() {
    }

    /** Stage 1: a chunk of pseudo-random numbers in [0, 1000), the same for the same chunk number. */
    public static final class Generator {
        public Generator() {
        }

        public int[] chunk(int number) {
            return numbers(number);
        }
    }

    /** Stage 2: keeps multiples of 3. */
    public static final class Filter {
        private long seen;

        public Filter() {
        }

        public int[] multiplesOfThree(int[] in) {
            seen += in.length;
            return java.util.Arrays.stream(in).filter(x -> x % 3 == 0).toArray();
        }

        public long seen() {
            return seen;
        }
    }

    /** Stage 3: the running sum of squares; stateful, so calls must arrive in order and none twice. */
    public static final class Summer {
        private long sum;
        private long chunks;

        public Summer() {
        }

        public long add(int[] in) {
            for (int x : in) {
                sum += (long) x * x;
            }
            chunks++;
            return chunks;
        }

        public long sum() {
            return sum;
        }
    }

    static int[] numbers(int chunk) {
        SplittableRandom rng = new SplittableRandom(42L + chunk);
        int[] out = new int[CHUNK];
        for (int i = 0; i < out.length; i++) {
            out[i] = rng.nextInt(1000);
        }
        return out;
    }

    /** The pipeline's answer computed on this thread, to check the distributed one. */
    static long expected(int chunks) {
        long sum = 0;
        for (int c = 0; c < chunks; c++) {
            for (int x : numbers(c)) {
                if (x % 3 == 0) {
                    sum += (long) x * x;
                }
            }
        }
        return sum;
    }
}
