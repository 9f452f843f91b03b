package dev.weft.data.internal.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ObjectRef;
import dev.weft.data.internal.exec.BlockRef;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/** The split coordinator's locality hints: a consumer gets a block on its node when one is buffered, never waits for one. */
class SplitLocalityTest {
    /** A block whose ref is a stand-in: the coordinator only hands refs on and closes them. */
    private static BlockRef block(long rows) {
        return new BlockRef(new StandInRef(), rows, rows * 8, List.of());
    }

    private static final class StandInRef implements ObjectRef<VectorSchemaRoot> {
        private static int next;
        private final String id = "stand-in-" + next++;

        @Override
        public String id() {
            return id;
        }

        @Override
        public VectorSchemaRoot get() {
            throw new IllegalStateException("not read in these tests");
        }

        @Override
        public VectorSchemaRoot get(Duration timeout) {
            return get();
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public CompletableFuture<VectorSchemaRoot> toCompletableFuture() {
            return CompletableFuture.failedFuture(new IllegalStateException("not read in these tests"));
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aConsumerIsGivenABlockOnItsNodeBeforeOlderBlocksElsewhere() throws Exception {
        SplitCoordinator c = new SplitCoordinator(2, false, Long.MAX_VALUE, List.of("node-0", "node-1"));
        BlockRef a0 = block(10);
        BlockRef a1 = block(10);
        BlockRef b0 = block(10);
        c.offer(a0, "node-0");
        c.offer(a1, "node-0");
        c.offer(b0, "node-1");
        assertSame(b0, c.next(1).block(), "split 1 (node-1) skips the older node-0 blocks");
        assertSame(a0, c.next(0).block());
        // nothing on node-1 is left: split 1 takes the oldest block rather than wait
        assertSame(a1, c.next(1).block());
        assertArrayEquals(new long[] {10, 10}, c.localRows());
        assertArrayEquals(new long[] {10, 20}, c.dispatchedRows());
    }

    @Test
    void withEqualSplitsLocalityPicksOnlyAmongBlocksTheEqualRuleAllows() throws Exception {
        SplitCoordinator c = new SplitCoordinator(2, true, Long.MAX_VALUE, List.of("node-0", "node-1"));
        BlockRef small = block(5);
        BlockRef big = block(50);
        c.offer(small, "node-0");
        c.offer(big, "node-1");
        // giving split 1 its local 50-row block would leave 5 rows to level split 0 with: not allowed
        assertSame(small, c.next(1).block());
        assertArrayEquals(new long[] {0, 0}, c.localRows(), "no local block was allowed");
    }

    @Test
    void unknownLocationsAndNoHintsKeepArrivalOrder() throws Exception {
        SplitCoordinator c = new SplitCoordinator(2, false, Long.MAX_VALUE, null);
        BlockRef x = block(1);
        BlockRef y = block(1);
        c.offer(x, "node-1");
        c.offer(y, null);
        assertSame(x, c.next(1).block());
        assertSame(y, c.next(0).block());
        assertArrayEquals(new long[] {0, 0}, c.localRows());
    }

    @Test
    void oneHintPerSplit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SplitCoordinator(3, false, 1L, List.of("a", "b")));
        assertTrue(e.getMessage().contains("2 hints for 3"), e.getMessage());
    }
}
