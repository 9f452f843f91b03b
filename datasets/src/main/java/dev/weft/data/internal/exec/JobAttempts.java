package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a whole job again when it failed because a node went away. Intermediate blocks (an exchange's outputs, a
 * stage's outputs) are put objects without lineage: a node that dies after making them takes them along, and the
 * task that reads one fails. Everything a plan computes derives from its sources, so a job that consumes its whole
 * output before returning (collecting rows, counting, materializing, writing all or nothing) can start over from
 * them. Blocks of a materialized dataset that are lost stay lost: a new attempt fails the same way and the failure
 * propagates after {@link #MAX_ATTEMPTS}. An iterator ({@link #iterate}) starts again only until it has handed out its
 * first batch: rows already handed to the caller cannot be taken back.
 */
public final class JobAttempts {
    /** Attempts of one job before a lost-work failure propagates. */
    static final int MAX_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(JobAttempts.class);
    private static final AtomicLong RESTARTS = new AtomicLong();

    private JobAttempts() {
    }

    /**
     * Runs {@code job}, and again when it fails with lost work (see {@link ExchangeAttempts#lostWork}); {@code job}
     * must release what a failed attempt made before it throws.
     */
    public static <T> T run(String what, Supplier<T> job) {
        for (int n = 1; ; n++) {
            try {
                return job.get();
            } catch (RuntimeException e) {
                if (n >= MAX_ATTEMPTS || !ExchangeAttempts.lostWork(e)) {
                    throw e;
                }
                restarted(what, n, e);
            }
        }
    }

    /**
     * The batches of a job read as they come ({@code start} runs it once more), run again from its sources when it
     * loses work before its first batch was handed out; see {@link RestartingBatches}.
     */
    public static CloseableIterator<VectorSchemaRoot> iterate(String what,
                                                              Supplier<CloseableIterator<VectorSchemaRoot>> start) {
        return new RestartingBatches(what, start).start();
    }

    static void restarted(String what, int attempt, RuntimeException e) {
        String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        LOG.warn("{}: attempt {} of {} lost work ({}); running the job again from its sources", what, attempt,
                MAX_ATTEMPTS, why);
        RESTARTS.incrementAndGet();
    }

    /** Jobs started again in this JVM, for tests and logs. */
    public static long restarts() {
        return RESTARTS.get();
    }
}
