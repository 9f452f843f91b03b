package dev.weft.engine.internal.runtime;

import dev.weft.api.SchedulingStrategy;
import dev.weft.api.TaskUnschedulableException;
import dev.weft.engine.internal.placement.DataLocalityPolicy;
import dev.weft.engine.internal.placement.HybridPolicy;
import dev.weft.engine.internal.placement.NodeAffinityPolicy;
import dev.weft.engine.internal.placement.SnapshotClusterView;
import dev.weft.engine.internal.placement.SpillbackPolicy;
import dev.weft.engine.internal.placement.SpreadPolicy;
import dev.weft.engine.internal.scheduler.NodeScheduler;
import dev.weft.engine.internal.scheduler.ResourceIndex;
import dev.weft.engine.internal.scheduler.Work;
import dev.weft.spi.PlacementPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends work to a node once it can be placed: a one-node cluster needs no decision; otherwise the policy of
 * the work's strategy chooses over a snapshot view of the nodes. Work that no node can ever satisfy is
 * logged once per demand and parked; it fails with {@link TaskUnschedulableException} after the configured
 * timeout unless a node that fits is added first.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final LocalRuntime runtime;
    private final ResourceIndex index;
    private final Duration infeasibleTimeout;
    private final PlacementPolicy hybrid = new HybridPolicy();
    private final PlacementPolicy spread = new SpreadPolicy();
    private final PlacementPolicy locality = new DataLocalityPolicy(hybrid);
    private final Set<Work> parked = ConcurrentHashMap.newKeySet();
    private final Set<Map<String, Double>> warned = ConcurrentHashMap.newKeySet();

    Dispatcher(LocalRuntime runtime, ResourceIndex index, Duration infeasibleTimeout) {
        this.runtime = runtime;
        this.index = index;
        this.infeasibleTimeout = infeasibleTimeout;
    }

    /** Places {@code work} now (from any thread except a node loop, which must use {@link #dispatchLater}). */
    void dispatch(Work work) {
        if (!work.awaitingPlacement()) {
            return;
        }
        if (runtime.isClosed()) {
            work.unschedulable(new dev.weft.api.WeftException(dev.weft.api.ErrorType.CANCELLED, work.describe()
                    + " never ran: the runtime closed"));
            return;
        }
        if (work.groupId != null) {
            runtime.groups().dispatchInGroup(work);
            return;
        }
        List<NodeScheduler> nodes = runtime.nodeList();
        if (nodes.size() == 1 && !(work.strategy instanceof SchedulingStrategy.NodeAffinity)) {
            NodeScheduler only = nodes.getFirst();
            if (only.alive() && ResourceIndex.fits(work.demand(), only.total())) {
                only.submit(work, false);
                return;
            }
        }
        Map<String, Double> demand = index.toMap(work.demand());
        PlacementPolicy.Request request = new PlacementPolicy.Request(demand,
                runtime.node(work.localNode).nodeId(), work.argumentBytesByNode());
        Optional<String> choice = policyFor(work, request).place(request, new SnapshotClusterView(nodes, index));
        if (choice.isPresent()) {
            runtime.nodeById(choice.get()).submit(work, true);
            return;
        }
        if (work.strategy instanceof SchedulingStrategy.NodeAffinity a && !a.soft()) {
            work.unschedulable(new TaskUnschedulableException(work.describe() + " must run on node " + a.nodeId()
                    + ", which " + (runtime.nodeById(a.nodeId()) == null ? "does not exist"
                    : runtime.nodeById(a.nodeId()).alive() ? "can never fit its demand " + demand : "is dead")));
            return;
        }
        park(work, demand);
    }

    /** Dispatches on a fresh virtual thread (for callers on a node loop, which must never block on another ring). */
    void dispatchLater(Work work) {
        Thread.ofVirtual().start(() -> dispatch(work));
    }

    private PlacementPolicy policyFor(Work work, PlacementPolicy.Request request) {
        return switch (work.strategy) {
            case SchedulingStrategy.Spread s -> spread;
            case SchedulingStrategy.NodeAffinity a -> new NodeAffinityPolicy(a.nodeId(), a.soft(), hybrid);
            case SchedulingStrategy.Default d -> request.argumentBytesByNode().isEmpty() ? hybrid : locality;
        };
    }

    private void park(Work work, Map<String, Double> demand) {
        String biggest = runtime.biggestNodeDescription();
        if (warned.add(demand)) {
            LOG.warn("{} demands {} but no node can ever provide it (biggest node: {}); it fails after {} unless a "
                    + "node that fits is added", work.describe(), demand, biggest, infeasibleTimeout);
        }
        parked.add(work);
        runtime.timer().schedule(() -> {
            if (parked.remove(work) && work.awaitingPlacement()) {
                work.unschedulable(new TaskUnschedulableException(work.describe() + " demands " + demand
                        + " but no node can ever provide it (biggest node: " + runtime.biggestNodeDescription()
                        + "); gave up after " + infeasibleTimeout));
            }
        }, Math.max(1, infeasibleTimeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** A node joined: parked work may fit now. */
    void retryParked() {
        for (Work w : List.copyOf(parked)) {
            if (parked.remove(w)) {
                dispatchLater(w);
            }
        }
    }

    /**
     * Spillback pass (on the runtime's timer): every live node with queued work hands what it cannot admit now to
     * another node where it fits now. Without it, work placed on a node just before an actor took the node's last
     * CPU would wait for that actor to end, with other nodes idle.
     */
    void rebalance() {
        List<NodeScheduler> nodes = runtime.nodeList();
        if (nodes.size() < 2 || runtime.isClosed()) {
            return;
        }
        for (NodeScheduler n : nodes) {
            if (n.alive() && n.snapshot().queued() > 0) {
                n.run(loop -> loop.spillQueued(w -> spillTarget(w, loop, nodes), Thread.ofVirtual()::start));
            }
        }
    }

    private NodeScheduler spillTarget(Work work, NodeScheduler from, List<NodeScheduler> nodes) {
        return SpillbackPolicy.target(index.toMap(work.demand()), from.nodeId(), new SnapshotClusterView(nodes, index))
                .map(runtime::nodeById).orElse(null);
    }

    int parkedCount() {
        return parked.size();
    }
}
