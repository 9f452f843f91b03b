package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The batches of a job read as they come, run again from its sources when it loses work (a node died with blocks it
 * needed) before its first batch was handed out, as {@link JobAttempts#run} does for a job that consumes its whole
 * output. Once a batch was handed out a failure propagates: the caller holds rows that cannot be taken back. A failed
 * attempt is closed (which stops its execution and frees what it made) before the next one starts. The caller closes
 * this iterator; closing is idempotent. Not thread-safe.
 */
final class RestartingBatches implements CloseableIterator<VectorSchemaRoot> {
    private final String what;
    private final Supplier<CloseableIterator<VectorSchemaRoot>> start;
    private CloseableIterator<VectorSchemaRoot> current;
    private int attempts;
    private boolean handedOut;
    private boolean closed;

    /** {@code start} runs the job once more and returns its batches, the caller's to close. */
    RestartingBatches(String what, Supplier<CloseableIterator<VectorSchemaRoot>> start) {
        this.what = what;
        this.start = start;
    }

    /** Runs the job's first attempt now (its barriers run before this returns, as a plain execution's would). */
    RestartingBatches start() {
        attempt(it -> Boolean.TRUE);
        return this;
    }

    @Override
    public boolean hasNext() {
        return !closed && attempt(CloseableIterator::hasNext);
    }

    @Override
    public VectorSchemaRoot next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        VectorSchemaRoot batch = attempt(CloseableIterator::next);
        handedOut = true;
        return batch;
    }

    private <T> T attempt(Function<CloseableIterator<VectorSchemaRoot>, T> step) {
        while (true) {
            try {
                if (current == null) {
                    attempts++;
                    current = start.get();
                }
                return step.apply(current);
            } catch (RuntimeException e) {
                if (handedOut || attempts >= JobAttempts.MAX_ATTEMPTS || !ExchangeAttempts.lostWork(e)) {
                    throw e;
                }
                closeCurrent(e);
                JobAttempts.restarted(what, attempts, e);
            }
        }
    }

    /** Closes the failed attempt; a failure to close is added to {@code failure}, which then propagates. */
    private void closeCurrent(RuntimeException failure) {
        CloseableIterator<VectorSchemaRoot> failed = current;
        current = null;
        if (failed == null) {
            return;
        }
        try {
            failed.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            throw failure;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (current != null) {
            current.close();
        }
    }
}
