package dev.weft.bench.core;

/** The functions and actor the core benchmarks run: as close to empty as a task or call can be. */
public final class Noop {
    private int calls;

    public Noop() {
    }

    public static int nothing() {
        return 0;
    }

    public int call() {
        return ++calls;
    }

    /** What a baseline executor runs in place of a task. */
    static final java.util.function.Supplier<Integer> NOTHING = Noop::nothing;
}
