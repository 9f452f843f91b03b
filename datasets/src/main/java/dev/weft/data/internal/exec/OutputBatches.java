package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The consumer's view of an execution: output blocks fetched from the store, {@code prefetch} blocks ahead
 * (fetched on virtual threads while the consumer works on the current one). Each block's ref is released as
 * soon as its value has been fetched; closing stops the execution and releases everything. Not thread-safe.
 */
public final class OutputBatches implements CloseableIterator<VectorSchemaRoot> {
    private static final ExecutorService FETCHERS = Executors.newVirtualThreadPerTaskExecutor();

    private final StreamingExecutor exec;
    private final int prefetch;
    private final ArrayDeque<BlockRef> ahead = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<VectorSchemaRoot>> fetched = new ArrayDeque<>();
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
            ahead.add(b);
        }
    }

    private void startFetches() {
        // fetch values ahead of the consumer; the block ref is released when the consumer takes the value
        while (fetched.size() < Math.max(1, prefetch) && !ahead.isEmpty() && fetched.size() < ahead.size()) {
            BlockRef b = ahead.stream().skip(fetched.size()).findFirst().orElseThrow();
            fetched.add(CompletableFuture.supplyAsync(() -> b.ref().get(), FETCHERS));
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
        startFetches();
        BlockRef b = ahead.poll();
        CompletableFuture<VectorSchemaRoot> f = fetched.poll();
        startFetches();
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } finally {
            exec.releaseOutput(b);
        }
    }

    /** The next block's metadata without fetching its value; the block is released. For counting. */
    public BlockRef skip() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        dropFetched();
        BlockRef b = ahead.poll();
        exec.releaseOutput(b);
        return b;
    }

    /** The next block's ref, which the caller now owns (for materialize). */
    public BlockRef takeRef() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        dropFetched();
        return exec.keepOutput(ahead.poll());
    }

    /** The metadata-only paths never look at values: close any fetched ahead for the next block. */
    private void dropFetched() {
        CompletableFuture<VectorSchemaRoot> f = fetched.poll();
        if (f != null) {
            closeQuietly(f);
        }
    }

    private static void closeQuietly(CompletableFuture<VectorSchemaRoot> f) {
        try {
            f.join().close();
        } catch (RuntimeException ignored) {
            // the fetch failed; nothing to close
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!fetched.isEmpty()) {
            closeQuietly(fetched.poll());
        }
        while (!ahead.isEmpty()) {
            exec.releaseOutput(ahead.poll());
        }
        exec.close();
        onClose.run();
    }
}
