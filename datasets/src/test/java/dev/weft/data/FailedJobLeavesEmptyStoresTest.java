package dev.weft.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.NodeInfo;
import dev.weft.api.Weft;
import dev.weft.api.WeftException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A job that fails leaves every node's store empty once it has ended, without waiting for a garbage collection:
 * the blocks an actor pool's calls read and put (the pool is killed when the job fails) and the blocks of an
 * exchange's tasks that ended after the job had failed are freed by their owners.
 */
class FailedJobLeavesEmptyStoresTest {
    static final String MARK = "row 50000 is poisoned";
    static Weft weft;

    @BeforeAll
    static void startCluster() {
        weft = WeftCluster.start(3, 2, 0);
    }

    @AfterAll
    static void stopCluster() {
        weft.close();
    }

    @AfterEach
    void noLeaks() {
        WeftCluster.assertNoLeaks();
    }

    /** Throws on one row, every time: retries cannot help. */
    public static final class PoisonedRow implements BatchFunction {
        @Override
        public VectorSchemaRoot apply(VectorSchemaRoot batch) {
            BigIntVector id = (BigIntVector) batch.getVector("id");
            for (int i = 0; i < batch.getRowCount(); i++) {
                if (id.get(i) == 50_000) {
                    throw new IllegalStateException(MARK);
                }
            }
            return batch;
        }
    }

    /** Nodes whose store still holds something, or null once every store is empty; waits at most 15 s. */
    private static String storesNotEmpty() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            List<NodeInfo> held = weft.nodes().stream().filter(n -> n.alive() && (n.objectCount() > 0
                    || n.objectStoreUsedBytes() > 0)).toList();
            if (held.isEmpty()) {
                return null;
            }
            if (System.nanoTime() > deadline) {
                return held.stream().map(n -> n.nodeId() + ": " + n.objectCount() + " objects, "
                        + n.objectStoreUsedBytes() + " bytes").collect(Collectors.joining("; "));
            }
            LockSupport.parkNanos(20_000_000);
        }
    }

    // Before the fix the blocks the pool's actor read and put stayed in the stores after the failed job until a
    // garbage collection ran their handles' cleaners (chaos seed 20261264).
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aJobWhoseActorPoolUdfThrowsLeavesEveryStoreEmpty() {
        for (int round = 0; round < 3; round++) {
            DataContext ctx = DataContext.current().toBuilder().readParallelism(16).build();
            Dataset ds = Datasets.range(64_000).withContext(ctx)
                    .mapBatches(PoisonedRow::new, MapBatches.actors(1, 1).batchSize(20_000))
                    .filter(Expr.col("id").mod(7L).ne(0L))
                    .sort("id");
            WeftException e = assertThrows(WeftException.class, ds::count);
            assertTrue(String.valueOf(e.getMessage()).contains(MARK), e.toString());
            String held = storesNotEmpty();
            assertTrue(held == null, "round " + round + ": stores not empty 15 s after the failed job: " + held);
        }
    }
}
