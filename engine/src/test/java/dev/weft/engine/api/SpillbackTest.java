package dev.weft.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectRef;
import dev.weft.api.SchedulingStrategy;
import dev.weft.api.Weft;
import dev.weft.testing.WeftTest;
import org.junit.jupiter.api.Test;

/**
 * Spillback: work queued on a node that cannot admit it moves to another node as soon as that one has room,
 * instead of waiting for the resources of its first node. (Without it, a dataset's read task queued on the node
 * whose last CPU an actor pool took never ran, and the pipeline hung.) Bounded in time by the gates' patience:
 * without spillback the first node's task gives up on its gate and the test fails.
 */
@WeftTest(nodes = 2, cpusPerNode = 1)
class SpillbackTest {

    @Test
    void workQueuedBehindABusyNodeRunsOnTheNodeThatFreesUp(Weft weft) throws Exception {
        String first = weft.nodes().get(0).nodeId();
        String second = weft.nodes().get(1).nodeId();
        String holdFirst = Gates.key("hold-first");
        String holdSecond = Gates.key("hold-second");
        ObjectRef<Integer> onFirst = weft.task(Fns::awaitGate, holdFirst, 1).numCpus(1)
                .schedulingStrategy(SchedulingStrategy.nodeAffinity(first, false)).remote();
        ObjectRef<Integer> onSecond = weft.task(Fns::awaitGate, holdSecond, 2).numCpus(1)
                .schedulingStrategy(SchedulingStrategy.nodeAffinity(second, false)).remote();
        Poll.until(() -> weft.nodes().stream().allMatch(n -> cpus(n) == 0), "both nodes busy");

        // No node has a CPU now: the task queues on the least loaded node, the submitter's own on a tie.
        ObjectRef<Integer> queued = weft.task(Fns::square, 5).numCpus(1).remote();
        Gates.open(holdSecond);
        assertEquals(2, onSecond.get());

        // The first node stays busy until the queued task has run: only a move to the second node lets it run.
        assertEquals(25, queued.get());
        Gates.open(holdFirst);
        assertEquals(1, onFirst.get(), "the first node's task ended by its gate, not by giving up on it");
    }

    private static double cpus(NodeInfo n) {
        return n.availableResources().getOrDefault("CPU", 0.0);
    }
}
