package dev.weft.engine.internal.objects;

import static dev.weft.engine.internal.objects.StoreFns.runtime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectRef;
import dev.weft.api.SchedulingStrategy;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.store.StoreStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task results totalling three times a node's store capacity all come back intact, through spilling. */
class ThreeTimesCapacityTest {
    private static final long CAPACITY = 24L << 20;

    @TempDir
    Path spill;

    @Test
    void resultsOfThreeTimesTheCapacityAreAllReadBackCorrect() {
        WeftConfig config = WeftConfig.builder().nodes(2, 2).objectStoreBytes(CAPACITY)
                .spillUri(spill.toString()).build();
        try (Weft weft = Weft.init(config)) {
            // mixed sizes from 128 KiB to 4 MiB, all made on node-1, until they add up to 3x its capacity
            SplittableRandom rng = new SplittableRandom(42);
            List<ObjectRef<long[]>> refs = new ArrayList<>();
            List<Integer> counts = new ArrayList<>();
            long total = 0;
            while (total < 3 * CAPACITY) {
                int longs = (16 << 10) + rng.nextInt(1 << 19);
                counts.add(longs);
                refs.add(weft.task(StoreFns::longs, refs.size(), longs)
                        .schedulingStrategy(SchedulingStrategy.nodeAffinity("node-1", false)).remote());
                total += 8L * longs;
            }
            weft.wait(refs, refs.size(), null);

            // read every one back twice: on node-1 itself (restores) and from the driver on node-0 (transfers)
            for (int i = 0; i < refs.size(); i++) {
                long first = weft.task(StoreFns::first, refs.get(i))
                        .schedulingStrategy(SchedulingStrategy.nodeAffinity("node-1", false)).remote().get();
                assertEquals(StoreFns.longs(i, 1)[0], first);
            }
            for (int i = 0; i < refs.size(); i++) {
                assertTrue(StoreFns.isLongs(refs.get(i).get(), i, counts.get(i)), "object " + i + " intact");
            }

            StoreStats producer = runtime(weft).store("node-1").stats();
            StoreStats reader = runtime(weft).store("node-0").stats();
            assertTrue(producer.totalSpilledBytes() >= 2 * CAPACITY - CAPACITY / 4, "spilled " + producer);
            assertTrue(producer.totalRestoredCount() > 0, "restored " + producer);
            assertTrue(producer.peakUsedBytes() <= CAPACITY && reader.peakUsedBytes() <= CAPACITY);
            assertTrue(reader.totalEvictedCount() > 0, "secondary copies on node-0 were evicted LRU: " + reader);
            assertEquals(refs.size(), producer.objectCount());
            // the state API reports the same figures
            NodeInfo node1 = weft.nodes().stream().filter(n -> n.nodeId().equals("node-1")).findFirst().orElseThrow();
            assertEquals(CAPACITY, node1.objectStoreCapacityBytes());
            assertTrue(node1.totalSpilledBytes() >= producer.totalSpilledBytes(), "spilled per nodes(): " + node1);
            assertTrue(node1.totalRestoredBytes() >= producer.totalRestoredBytes(), "restored per nodes(): " + node1);
            assertTrue(node1.spilledBytes() > 0 && node1.spillFileCount() > 0, "on disk per nodes(): " + node1);

            refs.forEach(ObjectRef::close);
            Poll.until("every copy is freed", () -> runtime(weft).store("node-1").objectCount() == 0
                    && runtime(weft).store("node-0").objectCount() == 0);
            assertEquals(0, runtime(weft).store("node-1").stats().spillFileCount());
        }
    }
}
