package dev.weft.engine.internal.scheduler;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Demand sent to a node that its loop has not taken in yet, so that placement decisions made meanwhile (on other
 * threads, from the node's last snapshot) do not send it more than it can hold. Senders {@link #charge} from any
 * thread; the loop {@link #ingest}s what it receives and {@link #settle}s once its new snapshot counts it.
 */
final class InboundDemand {
    /** Resource slots tracked. */
    static final int SLOTS = NodeScheduler.INBOUND_SLOTS;
    /** In millionths, by slot; any thread. */
    private final AtomicLongArray inbound = new AtomicLongArray(SLOTS);
    /** Loop only: ingested since the last snapshot. */
    private final double[] ingested = new double[SLOTS];

    /** Counts {@code demand} as on its way. Any thread. */
    void charge(double[] demand) {
        for (int i = 0; i < Math.min(demand.length, SLOTS); i++) {
            if (demand[i] != 0) {
                inbound.addAndGet(i, (long) (demand[i] * 1e6));
            }
        }
    }

    /** The loop took in charged {@code demand}; it stays counted until {@link #settle}. Loop only. */
    void ingest(double[] demand) {
        for (int i = 0; i < Math.min(demand.length, SLOTS); i++) {
            ingested[i] += demand[i];
        }
    }

    /** A new snapshot counts what was ingested: stop counting it as on its way. Loop only. */
    void settle() {
        for (int i = 0; i < SLOTS; i++) {
            if (ingested[i] != 0) {
                inbound.addAndGet(i, -(long) (ingested[i] * 1e6));
                ingested[i] = 0;
            }
        }
    }

    /** {@code available} minus what is on its way; {@code available} has at least {@link #SLOTS} slots. */
    double[] subtractFrom(double[] available) {
        for (int i = 0; i < SLOTS; i++) {
            long in = inbound.get(i);
            if (in != 0) {
                available[i] -= in / 1e6;
            }
        }
        return available;
    }
}
