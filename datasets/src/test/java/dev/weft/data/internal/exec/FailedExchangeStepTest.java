package dev.weft.data.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.api.NodeInfo;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.data.DataContext;
import dev.weft.data.internal.arrow.DataAllocators;
import dev.weft.data.internal.kernels.SortKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A step of an exchange whose task failed (here the sort's sampling, on a block without the sort key) frees what
 * the step's other tasks put — samples, shuffle pieces — instead of leaving it to the garbage collector: the refs
 * of the step's tasks are closed when the step fails (chaos seed 20261212, where a SortMap task failed under a
 * read-only spill directory and the pieces of the other maps stayed on every node).
 */
class FailedExchangeStepTest {
    static final int ROWS = 2_000;
    static final int WIDTH = 1_000; // a 256-row sample of the key is over 100 KiB: it is stored, not inline
    Weft weft;

    @BeforeEach
    void start() {
        DataContext.setCurrent(DataContext.builder().progressBars(false).build());
        weft = Weft.init(WeftConfig.builder().address("local").nodes(2, 2).build());
    }

    @AfterEach
    void stop() {
        weft.close();
        assertEquals(0, DataAllocators.root().getAllocatedMemory(), DataAllocators.root().toVerboseString());
    }

    /** A block of {@code ROWS} wide strings in column {@code column}. */
    private BlockRef block(String column, int seed) {
        try (BufferAllocator allocator = DataAllocators.child("block");
             VarCharVector v = new VarCharVector(column, allocator)) {
            v.allocateNew((long) ROWS * WIDTH, ROWS);
            for (int i = 0; i < ROWS; i++) {
                String prefix = String.format("%08d-%08d-", seed, i);
                v.setSafe(i, (prefix + "x".repeat(WIDTH - prefix.length())).getBytes(StandardCharsets.UTF_8));
            }
            v.setValueCount(ROWS);
            try (VectorSchemaRoot root = VectorSchemaRoot.of(v)) {
                root.setRowCount(ROWS);
                return new BlockRef(weft.put(root), ROWS, (long) ROWS * WIDTH, List.of());
            }
        }
    }

    private long storeObjects() {
        return weft.nodes().stream().mapToLong(NodeInfo::objectCount).sum();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void whatTheOtherTasksOfAFailedSortStepPutLeavesTheStore() {
        List<BlockRef> inputs = new ArrayList<>();
        try {
            for (int b = 0; b < 6; b++) {
                inputs.add(block(b == 5 ? "other" : "s", b)); // the last block has no sort key
            }
            assertEquals(6, storeObjects(), "the input blocks are in the stores");
            Exchange.Sort sort = new Exchange.Sort(List.of(SortKey.asc("s")));
            assertThrows(RuntimeException.class, () -> AllToAllOperator.run(weft, inputs, sort, DataContext.current()));
        } finally {
            inputs.forEach(b -> b.ref().close()); // and with them the copies tasks on other nodes fetched
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (storeObjects() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000);
        }
        assertEquals(0, storeObjects(), "the samples of the sort's other blocks are still in the stores 15 s after"
                + " its sampling failed and its inputs were released");
    }
}
