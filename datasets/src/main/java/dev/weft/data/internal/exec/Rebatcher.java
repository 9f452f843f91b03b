package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import dev.weft.data.internal.arrow.Batches;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Re-cuts a stream of batches into batches of exactly {@code batchSize} rows (the last may be smaller): large
 * batches are sliced (sharing buffers), small ones concatenated.
 */
public final class Rebatcher implements CloseableIterator<VectorSchemaRoot> {
    private final CloseableIterator<VectorSchemaRoot> input;
    private final int batchSize;
    private final BufferAllocator allocator;
    private final List<VectorSchemaRoot> pending = new ArrayList<>();
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
        VectorSchemaRoot combined;
        if (pending.size() == 1) {
            combined = pending.getFirst();
        } else {
            combined = Batches.concat(pending, allocator);
            pending.forEach(VectorSchemaRoot::close);
        }
        pending.clear();
        int rows = combined.getRowCount();
        if (rows <= batchSize) {
            pendingRows = 0;
            return combined;
        }
        try (combined) {
            VectorSchemaRoot head = Batches.slice(combined, 0, batchSize);
            VectorSchemaRoot rest = Batches.slice(combined, batchSize, rows - batchSize);
            pending.add(rest);
            pendingRows = rest.getRowCount();
            return head;
        }
    }

    @Override
    public void close() {
        pending.forEach(VectorSchemaRoot::close);
        pending.clear();
        pendingRows = 0;
        input.close();
    }
}
