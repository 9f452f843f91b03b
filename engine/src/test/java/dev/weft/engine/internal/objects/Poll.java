package dev.weft.engine.internal.objects;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition that the engine reaches asynchronously (frees run on node loops), failing after 20 s. */
final class Poll {
    private Poll() {
    }

    static void until(String what, BooleanSupplier condition) {
        until(what, condition, () -> "");
    }

    static void until(String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not reached within 20 s: " + what + " " + state.get());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
