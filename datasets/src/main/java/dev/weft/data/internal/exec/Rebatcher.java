package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import dev.weft.data.internal.arrow.Batches;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Re-cuts a stream of batches into batches of exactly {@code batchSize} rows (the last may be smaller): large
 * batches are sliced (sharing buffers), small ones concatenated. A large batch is cut from a cursor into it, so
 * cutting it into k pieces costs its size once (slicing off the head and keeping the rest as a new batch re-based
 * the rest's offsets on every cut: quadratic in k).
 */
public final class Rebatcher implements CloseableIterator<VectorSchemaRoot> {
    private final CloseableIterator<VectorSchemaRoot> input;
    private final int batchSize;
    private final BufferAllocator allocator;
    /** Batches not fully emitted yet; the rows of the first before {@link #headOffset} were emitted. */
    private final ArrayDeque<VectorSchemaRoot> pending = new ArrayDeque<>();
    private int headOffset;
    /** Rows of {@link #pending} not emitted yet. */
    private long pendingRows;

    public Rebatcher(CloseableIterator<VectorSchemaRoot> input, int batchSize, BufferAllocator allocator) {
        this.input = input;
        this.batchSize = batchSize;
        this.allocator = allocator;
    }

    @Override
    public boolean hasNext() {
        while (pendingRows < batchSize && input.hasNext()) {
            VectorSchemaRoot r = input.next();
            if (r.getRowCount() == 0) {
                r.close();
                continue;
            }
            pending.add(r);
            pendingRows += r.getRowCount();
        }
        return pendingRows > 0;
    }

    @Override
    public VectorSchemaRoot next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int want = (int) Math.min(batchSize, pendingRows);
        VectorSchemaRoot first = pending.getFirst();
        if (first.getRowCount() - headOffset >= want) {
            return take(want);
        }
        List<VectorSchemaRoot> pieces = new ArrayList<>();
        try {
            int got = 0;
            while (got < want) {
                int n = Math.min(want - got, pending.getFirst().getRowCount() - headOffset);
                pieces.add(take(n));
                got += n;
            }
            return Batches.concat(pieces, allocator);
        } finally {
            pieces.forEach(VectorSchemaRoot::close);
        }
    }

    /** The next {@code n} rows, all from the first pending batch (the batch itself when it is exactly them). */
    private VectorSchemaRoot take(int n) {
        VectorSchemaRoot first = pending.getFirst();
        int rows = first.getRowCount();
        pendingRows -= n;
        if (headOffset == 0 && n == rows) {
            pending.removeFirst();
            return first;
        }
        VectorSchemaRoot out = Batches.slice(first, headOffset, n);
        headOffset += n;
        if (headOffset == rows) {
            pending.removeFirst().close();
            headOffset = 0;
        }
        return out;
    }

    @Override
    public void close() {
        pending.forEach(VectorSchemaRoot::close);
        pending.clear();
        pendingRows = 0;
        headOffset = 0;
        input.close();
    }
}
