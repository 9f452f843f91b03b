package dev.weft.connectors.internal;

import dev.weft.data.CloseableIterator;
import dev.weft.data.ReadContext;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A read task's batches: its fragments' readers one after the other. On close the task's counters are added to
 * the {@link ReadContext} (so they reach {@code stats()}) and any open reader is closed.
 */
public final class TaskBatches<F> implements CloseableIterator<VectorSchemaRoot> {
    private final List<F> fragments;
    private final Function<F, BatchReader> open;
    private final ReadContext context;
    private final ReadCounters counters;
    private int next;
    private BatchReader current;
    private VectorSchemaRoot pending;
    private boolean closed;

    public TaskBatches(List<F> fragments, Function<F, BatchReader> open, ReadContext context, ReadCounters counters) {
        this.fragments = fragments;
        this.open = open;
        this.context = context;
        this.counters = counters;
    }

    @Override
    public boolean hasNext() {
        if (pending != null) {
            return true;
        }
        if (closed) {
            return false;
        }
        while (true) {
            if (current == null) {
                if (next >= fragments.size()) {
                    close();
                    return false;
                }
                current = open.apply(fragments.get(next++));
            }
            VectorSchemaRoot b;
            try {
                b = current.next();
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            if (b != null) {
                pending = b;
                return true;
            }
            current.close();
            current = null;
        }
    }

    @Override
    public VectorSchemaRoot next() {
        if (!hasNext()) {
            throw new NoSuchElementException("read task exhausted");
        }
        VectorSchemaRoot b = pending;
        pending = null;
        return b;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (pending != null) {
            pending.close();
            pending = null;
        }
        if (current != null) {
            current.close();
            current = null;
        }
        flush(counters, context);
    }

    /** Adds {@code counters} to the engine's per-operator counters. */
    public static void flush(ReadCounters counters, ReadContext context) {
        add(context, ReadContext.BYTES_READ, counters.bytesRead());
        add(context, "rowsRead", counters.rowsRead());
        add(context, "filesRead", counters.filesOpened());
        add(context, "rowGroupsRead", counters.rowGroupsRead());
        add(context, "rowGroupsSkipped", counters.rowGroupsPrunedByStatistics());
        add(context, "filesSkippedByPartition", counters.filesPrunedByPartition());
    }

    private static void add(ReadContext context, String name, long value) {
        if (value != 0) {
            context.addCounter(name, value);
        }
    }
}
