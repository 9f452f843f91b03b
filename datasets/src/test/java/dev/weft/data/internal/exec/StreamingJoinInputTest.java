package dev.weft.data.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.data.DataContext;
import dev.weft.data.internal.arrow.DataAllocators;
import dev.weft.data.internal.kernels.JoinSpec;
import dev.weft.data.internal.kernels.JoinType;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A shuffled hash join fed by a probe side that makes its blocks on demand, as an upstream pipeline does: the join
 * holds about its byte budget of probe blocks at a time (it pulls the next block only when the blocks being mapped
 * and the pieces not yet probed fit), frees each once mapped, and its first output exists before the probe side's
 * last block was even made.
 */
class StreamingJoinInputTest {
    static final int BLOCKS = 40;
    static final int ROWS = 32_768;
    static final long BLOCK_BYTES = 16L * ROWS; // two long columns: 512 KiB
    Weft weft;

    @BeforeEach
    void start() {
        DataContext.setCurrent(DataContext.builder().progressBars(false).build());
        weft = Weft.init(WeftConfig.builder().address("local").nodes(2, 1).build());
    }

    @AfterEach
    void stop() {
        weft.close();
        assertEquals(0, DataAllocators.root().getAllocatedMemory(), DataAllocators.root().toVerboseString());
    }

    /** Probe blocks (id, k = id % 1000) made when asked for; a released block is freed, as a pipeline's would be. */
    final class Producer implements BlockSource {
        int produced;
        int live;
        int maxLive;

        @Override
        public boolean hasNext() {
            return produced < BLOCKS;
        }

        @Override
        public BlockRef next() {
            try (BufferAllocator allocator = DataAllocators.child("probe")) {
                BigIntVector id = new BigIntVector("id", allocator);
                BigIntVector k = new BigIntVector("k", allocator);
                id.allocateNew(ROWS);
                k.allocateNew(ROWS);
                for (int i = 0; i < ROWS; i++) {
                    long v = (long) produced * ROWS + i;
                    id.set(i, v);
                    k.set(i, v % 1000);
                }
                try (VectorSchemaRoot root = VectorSchemaRoot.of(id, k)) {
                    root.setRowCount(ROWS);
                    BlockRef b = new BlockRef(weft.put(root), ROWS, BLOCK_BYTES, List.of());
                    produced++;
                    maxLive = Math.max(maxLive, ++live);
                    return b;
                }
            }
        }

        @Override
        public boolean release(BlockRef block) {
            block.ref().close();
            live--;
            return false;
        }
    }

    @Test
    void aJoinPullsItsProbeSideWithinItsBudgetAndOutputsBeforeItEnds() {
        BlockRef build;
        try (BufferAllocator allocator = DataAllocators.child("build")) {
            BigIntVector k = new BigIntVector("k", allocator);
            BigIntVector rv = new BigIntVector("rv", allocator);
            k.allocateNew(10);
            rv.allocateNew(10);
            for (int i = 0; i < 10; i++) {
                k.set(i, i);
                rv.set(i, 100 + i);
            }
            try (VectorSchemaRoot root = VectorSchemaRoot.of(k, rv)) {
                root.setRowCount(10);
                build = new BlockRef(weft.put(root), 10, 160, List.of());
            }
        }
        long budget = 2L << 20;
        DataContext ctx = DataContext.current().toBuilder().globalBudgetBytes(budget).build();
        Producer probe = new Producer();
        AtomicInteger producedAtFirstOutput = new AtomicInteger(-1);
        ExchangeObserver observer = new ExchangeObserver() {
            @Override
            public void outputDone(int blocks) {
                producedAtFirstOutput.compareAndSet(-1, probe.produced);
            }
        };
        // Never broadcast: a shuffled hash join, built on the (smaller) right side.
        Exchange.Join j = new Exchange.Join(JoinSpec.on(JoinType.INNER, List.of("k")), null, false, -1);
        List<BlockRef> out;
        try {
            out = AllToAllOperator.runJoin(weft, probe, StreamingJoinInputTest::noPlan, BlockSource.of(List.of(build)),
                    StreamingJoinInputTest::noPlan, j, ctx, observer);
        } finally {
            build.ref().close();
        }
        long rows = 0;
        long sumRv = 0;
        for (BlockRef b : out) {
            try (VectorSchemaRoot root = b.ref().get()) {
                for (int i = 0; i < root.getRowCount(); i++) {
                    long id = ((BigIntVector) root.getVector("id")).get(i);
                    long k = ((BigIntVector) root.getVector("k")).get(i);
                    assertEquals(id % 1000, k, "row of id " + id);
                    sumRv += ((BigIntVector) root.getVector("rv")).get(i);
                    rows++;
                }
            }
            b.ref().close();
        }
        long expectedRows = 0;
        long expectedRv = 0;
        for (long id = 0; id < (long) BLOCKS * ROWS; id++) {
            if (id % 1000 < 10) {
                expectedRows++;
                expectedRv += 100 + id % 1000;
            }
        }
        assertEquals(expectedRows, rows);
        assertEquals(expectedRv, sumRv);
        assertEquals(BLOCKS, probe.produced);
        assertEquals(0, probe.live, "every probe block was freed");
        // A block is pulled only while the held bytes (blocks being mapped counted twice, for their pieces) are
        // under the budget, so at most the budget's worth of blocks plus the two that crossed it are alive.
        assertTrue(probe.maxLive <= budget / BLOCK_BYTES + 2, "probe blocks alive at once: " + probe.maxLive);
        assertTrue(producedAtFirstOutput.get() > 0 && producedAtFirstOutput.get() < BLOCKS,
                "the first output came after " + producedAtFirstOutput.get() + " of " + BLOCKS + " probe blocks");
        System.out.println("streamed join: at most " + probe.maxLive + " probe blocks alive, first output after "
                + producedAtFirstOutput.get() + " of " + BLOCKS);
    }

    private static Schema noPlan() {
        throw new AssertionError("both sides have blocks: their schemas come from them");
    }
}
