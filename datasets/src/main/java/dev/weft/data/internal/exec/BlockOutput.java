package dev.weft.data.internal.exec;

import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.data.DataContext;
import dev.weft.data.internal.arrow.Batches;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Turns a task's output batches into blocks in the object store of about the target block size: small batches
 * are coalesced until they reach the minimum block size, large ones are cut below the maximum. Each batch is
 * closed as soon as it is stored.
 */
final class BlockOutput {
    private final Weft weft;
    private final DataContext context;
    private final BufferAllocator allocator;
    private final List<String> inputFiles;
    private final List<VectorSchemaRoot> pending = new ArrayList<>();
    private long pendingBytes;
    private final List<BlockRef> blocks = new ArrayList<>();
    private long rows;
    private long bytes;

    BlockOutput(Weft weft, DataContext context, BufferAllocator allocator, List<String> inputFiles) {
        this.weft = weft;
        this.context = context;
        this.allocator = allocator;
        this.inputFiles = inputFiles;
    }

    /** Takes ownership of {@code batch}. */
    void add(VectorSchemaRoot batch) {
        if (batch.getRowCount() == 0) {
            batch.close();
            return;
        }
        long size = Batches.sizeBytes(batch);
        if (size > context.targetMaxBlockSizeBytes() && batch.getRowCount() > 1) {
            int pieces = (int) Math.min(batch.getRowCount(), (size + context.targetMaxBlockSizeBytes() - 1)
                    / context.targetMaxBlockSizeBytes());
            int per = (batch.getRowCount() + pieces - 1) / pieces;
            try (batch) {
                for (int start = 0; start < batch.getRowCount(); start += per) {
                    add(Batches.slice(batch, start, Math.min(per, batch.getRowCount() - start)));
                }
            }
            return;
        }
        pending.add(batch);
        pendingBytes += size;
        if (pendingBytes >= context.targetMinBlockSizeBytes()) {
            flush();
        }
    }

    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        VectorSchemaRoot block;
        if (pending.size() == 1) {
            block = pending.getFirst();
        } else {
            block = Batches.concat(pending, allocator);
            pending.forEach(VectorSchemaRoot::close);
        }
        pending.clear();
        pendingBytes = 0;
        try (block) {
            long size = Batches.sizeBytes(block);
            ObjectRef<VectorSchemaRoot> ref = weft.put(block);
            blocks.add(new BlockRef(ref, block.getRowCount(), size, inputFiles));
            rows += block.getRowCount();
            bytes += size;
        }
    }

    List<BlockRef> blocks() {
        return blocks;
    }

    long rows() {
        return rows;
    }

    long bytes() {
        return bytes;
    }

    /** Releases batches not yet stored and the blocks stored so far (after a failure). */
    void discard() {
        pending.forEach(VectorSchemaRoot::close);
        pending.clear();
        blocks.forEach(b -> b.ref().close());
        blocks.clear();
    }
}
