package dev.weft.engine.api;

import java.util.function.BooleanSupplier;

/** Waits for a condition the runtime reaches asynchronously, without sleeping and with a bound. */
final class Poll {
    private static final long BOUND_NANOS = 30_000_000_000L;

    private Poll() {
    }

    static void until(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + BOUND_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for: " + what);
            }
            Thread.yield();
        }
    }
}
