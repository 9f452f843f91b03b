package dev.weft.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 1,000,000 small tasks across the nodes of a 3-JVM cluster, in waves of 10,000 whose refs are released after each
 * wave: every answer is right, and afterwards neither the driver's heap (after a collection) nor the nodes' stores
 * hold more than before. What the driver keeps per task (its lineage, its owned-object records, its stream
 * bookkeeping) must go with the task's refs.
 */
@ExtendWith(ClusterSessions.class)
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class ClusterManyTasksTest {
    private static final int WAVE = 10_000;

    static long plusOne(long x) {
        return x + 1;
    }

    private static void wave(Weft weft, long from) {
        List<ObjectRef<Long>> refs = new ArrayList<>(WAVE);
        for (long i = from; i < from + WAVE; i++) {
            refs.add(weft.task(ClusterManyTasksTest::plusOne, i).remote());
        }
        List<Long> got = weft.get(refs);
        for (int i = 0; i < WAVE; i++) {
            if (got.get(i) != from + i + 1) {
                throw new AssertionError("task " + (from + i) + " answered " + got.get(i));
            }
        }
        refs.forEach(ObjectRef::close);
    }

    private static long heapAfterCollection() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
            least = Math.min(least, rt.totalMemory() - rt.freeMemory());
        }
        return least;
    }

    private static long objectsOnNodes(Weft weft) {
        return weft.nodes().stream().filter(NodeInfo::alive).mapToLong(NodeInfo::objectCount).sum();
    }

    @Test
    void aMillionSmallTasksLeaveNoGrowthInTheDriversHeapOrTheNodesStores(Weft weft) throws Exception {
        for (int w = 0; w < 30; w++) { // warm-up (300,000 tasks): code paths compiled, pools and streams at their working size
            wave(weft, (long) w * WAVE);
        }
        long objectsBefore = objectsOnNodes(weft);
        long heapBefore = heapAfterCollection();
        int waves = 1_000_000 / WAVE;
        for (int w = 0; w < waves; w++) {
            wave(weft, 1_000_000_000L + (long) w * WAVE);
        }
        long heapAfter = heapAfterCollection();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (objectsOnNodes(weft) > objectsBefore && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(objectsBefore, objectsOnNodes(weft), "the nodes' stores hold what they held before the million");
        long growth = heapAfter - heapBefore;
        System.out.printf("1,000,000 tasks: driver heap after collection %d KiB before, %d KiB after%n",
                heapBefore >> 10, heapAfter >> 10);
        // Anything kept per task (a record, a map entry, a lineage: 100 bytes and more) would be 100 MB and more over a
        // million tasks. Measured 10-14 MiB of growth here, for 1 and for 3 million tasks alike: caches and tables
        // that reach their working size, not a per-task leak.
        assertTrue(growth < 32L << 20, "the driver's heap after a collection grew by " + (growth >> 10)
                + " KiB over 1,000,000 released tasks (before " + (heapBefore >> 20) + " MiB, after "
                + (heapAfter >> 20) + " MiB)");
    }
}
