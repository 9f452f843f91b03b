package dev.weft.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Bundle;
import dev.weft.api.ObjectRef;
import dev.weft.api.PlacementGroup;
import dev.weft.api.PlacementStrategy;
import dev.weft.api.TaskUnschedulableException;
import dev.weft.api.Weft;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Placement groups across node JVMs: bundles on distinct nodes, all or nothing, tasks run in their bundle's JVM. */
@ExtendWith(ClusterSessions.class)
class ClusterPlacementGroupTest {
    public static long pid() {
        return ProcessHandle.current().pid();
    }

    @Test
    void strictSpreadPutsEachBundleInAnotherJvm(Weft weft) {
        PlacementGroup pg = weft.placementGroup(PlacementStrategy.STRICT_SPREAD, Bundle.cpus(1), Bundle.cpus(1), Bundle.cpus(1));
        try {
            assertTrue(pg.ready().get());
            List<ObjectRef<Long>> pids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                pids.add(weft.task(ClusterPlacementGroupTest::pid).placementGroup(pg, i).remote());
            }
            assertEquals(3, new HashSet<>(weft.get(pids)).size(), "three bundles, three JVMs");
            pids.forEach(ObjectRef::close);
        } finally {
            pg.remove();
        }
    }

    @Test
    void aGroupNoNodeCanHoldFailsItsReadyNamingIt(Weft weft) {
        PlacementGroup pg = weft.placementGroup(PlacementStrategy.STRICT_PACK, Bundle.cpus(2), Bundle.cpus(2));
        TaskUnschedulableException e = assertThrows(TaskUnschedulableException.class, () -> pg.ready().get());
        assertTrue(e.getMessage().contains(pg.id()) && e.getMessage().contains("STRICT_PACK"), e.getMessage());
        assertEquals(49, weft.task(dev.weft.engine.api.Fns::square, 7).remote().get());
    }
}
