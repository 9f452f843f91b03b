package dev.weft.engine.internal.runtime;

import java.util.function.BooleanSupplier;

/**
 * Brief busy-waits before parking. On this engine a synchronous round trip (submit, then get) is dominated by
 * the two thread wake-ups, each tens of microseconds on a virtualised machine; a waiter that spins a few
 * microseconds catches most answers before it would have parked. The spins are short enough that an idle
 * engine does not burn a core.
 */
final class Spin {
    /** How long {@code get} spins on a pending object before it parks. */
    static final long GET_NANOS = 20_000;
    /** How long an idle actor executor spins on its empty mailbox before it parks. */
    static final long MAILBOX_NANOS = 50_000;
    private static final int CHECKS_PER_CLOCK = 32;

    private Spin() {
    }

    /** Spins until {@code condition} holds (true) or {@code nanos} have passed (false). */
    static boolean until(BooleanSupplier condition, long nanos) {
        if (condition.getAsBoolean()) {
            return true;
        }
        long deadline = System.nanoTime() + nanos;
        while (true) {
            for (int i = 0; i < CHECKS_PER_CLOCK; i++) {
                Thread.onSpinWait();
                if (condition.getAsBoolean()) {
                    return true;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
        }
    }
}
