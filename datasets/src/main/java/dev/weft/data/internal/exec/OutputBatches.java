package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The consumer's view of an execution: output blocks fetched from the store, {@code prefetch} blocks ahead
 * (their values are requested while the consumer works on the current one). Each block's ref is released as
 * soon as its value has been fetched; closing stops the execution and releases everything. Not thread-safe.
 */
public final class OutputBatches implements CloseableIterator<VectorSchemaRoot> {
    private final StreamingExecutor exec;
    private final int prefetch;
    private final ArrayDeque<BlockRef> ahead = new ArrayDeque<>();
    private boolean ended;
    private final Runnable onClose;
    private boolean closed;

    /** {@code onClose} runs once after the execution has stopped (to record its stats). */
    public OutputBatches(StreamingExecutor exec, int prefetch, Runnable onClose) {
        this.exec = exec;
        this.prefetch = Math.max(0, prefetch);
        this.onClose = onClose;
    }

    public StreamingExecutor executor() {
        return exec;
    }

    private void fill() {
        while (!ended && ahead.size() <= prefetch) {
            BlockRef b = exec.next();
            if (b == null) {
                ended = true;
                break;
            }
            b.ref().toCompletableFuture();
            ahead.add(b);
        }
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            return false;
        }
        fill();
        return !ahead.isEmpty();
    }

    @Override
    public VectorSchemaRoot next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        BlockRef b = ahead.poll();
        try {
            return b.ref().get();
        } finally {
            exec.releaseOutput(b);
        }
    }

    /** The next block's metadata without fetching its value; the block is released. For counting. */
    public BlockRef skip() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        BlockRef b = ahead.poll();
        exec.releaseOutput(b);
        return b;
    }

    /** The next block's ref, which the caller now owns (for materialize). */
    public BlockRef takeRef() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return exec.keepOutput(ahead.poll());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!ahead.isEmpty()) {
            exec.releaseOutput(ahead.poll());
        }
        exec.close();
        onClose.run();
    }
}
