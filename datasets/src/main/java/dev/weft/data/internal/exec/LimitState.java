package dev.weft.data.internal.exec;

import dev.weft.api.ObjectRef;
import dev.weft.data.internal.arrow.Batches;
import dev.weft.data.internal.plan.PhysicalOp;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Passes on the first {@code limit} rows on the driver (cutting the last block), then cancels everything
 * upstream: queued input is released and no more tasks start.
 */
final class LimitState extends OperatorState {
    private long remaining;

    LimitState(int index, PhysicalOp.LimitOp limit, StreamingExecutor exec) {
        super(index, limit, exec);
        this.remaining = limit.limit();
    }

    @Override
    void start() {
        firstStartNanos = System.nanoTime();
        if (remaining == 0) {
            exec.cancelUpstream(this);
        }
    }

    @Override
    void addInput(BlockRef block) {
        if (remaining <= 0) {
            exec.release(block);
            return;
        }
        BlockRef out = block;
        if (block.numRows() > remaining) {
            try (VectorSchemaRoot root = block.ref().get();
                 VectorSchemaRoot cut = Batches.slice(root, 0, (int) remaining)) {
                ObjectRef<VectorSchemaRoot> ref = exec.weft().put(cut);
                out = new BlockRef(ref, cut.getRowCount(), Batches.sizeBytes(cut), block.inputFiles());
            }
            exec.release(block);
        }
        remaining -= out.numRows();
        rowsOut += out.numRows();
        bytesOut += out.sizeBytes();
        blocksOut++;
        lastEndNanos = System.nanoTime();
        exec.emit(this, out);
        if (remaining <= 0) {
            exec.cancelUpstream(this);
        }
    }

    @Override
    boolean tryLaunch() {
        return false;
    }

    @Override
    boolean checkDone() {
        if (!done && (upstreamDone || remaining <= 0)) {
            done = true;
        }
        return done;
    }
}
