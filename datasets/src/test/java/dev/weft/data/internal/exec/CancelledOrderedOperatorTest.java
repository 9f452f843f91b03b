package dev.weft.data.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.data.DataContext;
import dev.weft.data.MapBatches;
import dev.weft.data.internal.arrow.DataAllocators;
import dev.weft.data.internal.plan.PhysicalOp;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An order-preserving operator (the input of a zip or an ordered repartition) that was cancelled because its job
 * failed still sees its running tasks end: the blocks of a task that ends after the cancel are released at once,
 * not held for an earlier task whose output will never come (so they stayed in the store until a garbage
 * collection).
 */
class CancelledOrderedOperatorTest {
    static final int ROWS = 20_000; // 160 KB: a block stored in the object store, not inline
    Weft weft;

    @BeforeEach
    void start() {
        DataContext.setCurrent(DataContext.builder().progressBars(false).build());
        weft = Weft.init(WeftConfig.builder().address("local").nodes(1, 2).build());
    }

    @AfterEach
    void stop() {
        weft.close();
        assertEquals(0, DataAllocators.root().getAllocatedMemory(), DataAllocators.root().toVerboseString());
    }

    private BlockRef storedBlock() {
        try (BufferAllocator allocator = DataAllocators.child("block");
             BigIntVector id = new BigIntVector("id", allocator)) {
            id.allocateNew(ROWS);
            for (int i = 0; i < ROWS; i++) {
                id.set(i, i);
            }
            id.setValueCount(ROWS);
            try (VectorSchemaRoot root = VectorSchemaRoot.of(id)) {
                root.setRowCount(ROWS);
                return new BlockRef(weft.put(root), ROWS, 8L * ROWS, List.of());
            }
        }
    }

    private long storeObjects() {
        return weft.nodes().stream().mapToLong(NodeInfo::objectCount).sum();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aTaskEndingAfterTheCancelOfAnOrderedOperatorHasItsBlocksReleased() {
        StreamingExecutor exec = new StreamingExecutor(weft, List.of(new PhysicalOp.MapOp(List.of(),
                MapBatches.tasks(), null)), DataContext.current(), "job-cancelled-ordered");
        exec.preserveOrder();
        OperatorState op = exec.operators().getFirst();
        try {
            BlockRef block = storedBlock();
            assertEquals(1, storeObjects(), "the block is in the store");
            op.cancel(); // the job failed while tasks #0 and #1 ran
            @SuppressWarnings({"unchecked", "rawtypes"})
            ObjectRef<TaskResult> ref = (ObjectRef) weft.put("task #1");
            OperatorState.Running task1 = new OperatorState.Running(ref, List.of(), 0, block.sizeBytes(), 1,
                    List.of(), null);
            op.running.put(ref, task1);
            // task #1 ends first; task #0, which failed, never hands over output
            op.completed(task1, new TaskResult(List.of(block), null, ROWS, block.sizeBytes(), 0, 0, Map.of(), Map.of()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (storeObjects() > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(10_000_000);
            }
            assertEquals(0, storeObjects(), "the block of a task that ended after its operator was cancelled is"
                    + " still in the store");
            assertTrue(op.running.isEmpty());
            ref.close();
        } finally {
            exec.close();
        }
    }
}
