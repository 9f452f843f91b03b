package dev.weft.data.internal.exec;

import dev.weft.data.internal.plan.PhysicalOp;

/** Blocks of a materialized dataset: passed on as they are; the dataset keeps owning them. */
final class InputState extends OperatorState {
    private final PhysicalOp.InputOp inputOp;

    InputState(int index, PhysicalOp.InputOp op, StreamingExecutor exec) {
        super(index, op, exec);
        this.inputOp = op;
        this.upstreamDone = true;
    }

    @Override
    void start() {
        firstStartNanos = System.nanoTime();
        for (BlockRef b : inputOp.blocks()) {
            exec.borrow(b);
            rowsOut += b.numRows();
            bytesOut += b.sizeBytes();
            blocksOut++;
            exec.emit(this, b);
        }
        lastEndNanos = System.nanoTime();
    }

    @Override
    boolean tryLaunch() {
        return false;
    }
}
