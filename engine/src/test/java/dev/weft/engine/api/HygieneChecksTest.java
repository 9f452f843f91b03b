package dev.weft.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectRef;
import dev.weft.api.Resources;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.testing.LeakChecks;
import dev.weft.testing.WeftSessions;
import dev.weft.testing.WeftTest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The testkit on the real engine: the annotation configures the cluster, and the leak checks see leaks. */
@WeftTest(nodes = 3, cpusPerNode = 2)
class HygieneChecksTest {
    @Test
    void theAnnotationConfiguresTheCluster(Weft weft) {
        List<NodeInfo> nodes = weft.nodes();
        assertEquals(3, nodes.size());
        for (NodeInfo n : nodes) {
            assertTrue(n.alive());
            assertEquals(2.0, n.totalResources().get(Resources.CPU));
        }
        assertEquals("local", weft.runtime().providerName());
    }

    @Test
    @WeftTest(address = "inline")
    void aMethodAnnotationReplacesTheClassOne(Weft weft) {
        assertEquals("inline", weft.runtime().providerName());
        assertEquals(16, weft.task(Fns::square, 4).remote().get());
    }

    @Test
    void theObjectCheckSeesHeldObjectsUntilTheyAreReleased(Weft weft) {
        ObjectRef<byte[]> held = weft.put(new byte[1 << 20]);
        assertFalse(LeakChecks.objectsInStores(weft).isEmpty(), "a held 1 MiB object is in a store");
        held.close();
        assertEquals(List.of(), LeakChecks.awaitStoresEmpty(weft, Duration.ofSeconds(30)));
    }

    @Test
    void theThreadCheckSeesThreadsThatOutliveTheirOwner() throws InterruptedException {
        Set<Thread> before = LeakChecks.threadSnapshot();
        CountDownLatch release = new CountDownLatch(1);
        Thread stray = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "left-behind");
        stray.start();
        List<String> found = LeakChecks.threadsStartedSince(before, Duration.ZERO);
        assertTrue(found.stream().anyMatch(s -> s.contains("left-behind")), found.toString());
        release.countDown();
        stray.join();
        assertEquals(List.of(), LeakChecks.threadsStartedSince(before, Duration.ofSeconds(10)));
    }

    @Test
    void aClosedRuntimeLeavesNoThreads(WeftSessions sessions) throws InterruptedException {
        Set<Thread> before = LeakChecks.threadSnapshot();
        Weft weft = sessions.start(WeftConfig.builder().nodes(2, 1).objectStoreBytes(32L << 20).build());
        assertEquals(16L, weft.task(Fns::fanOut, 4, 2).remote().get());
        weft.close();
        assertEquals(List.of(), LeakChecks.threadsStartedSince(before, Duration.ofSeconds(10)));
    }
}
