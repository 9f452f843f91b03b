package dev.weft.engine.internal.runtime;

import dev.weft.api.SchedulingStrategy;
import dev.weft.api.TaskUnschedulableException;
import dev.weft.engine.internal.placement.DataLocalityPolicy;
import dev.weft.engine.internal.placement.HybridPolicy;
import dev.weft.engine.internal.placement.NodeAffinityPolicy;
import dev.weft.engine.internal.placement.SnapshotClusterView;
import dev.weft.engine.internal.placement.SpreadPolicy;
import dev.weft.engine.internal.scheduler.NodeScheduler;
import dev.weft.engine.internal.scheduler.ResourceIndex;
import dev.weft.engine.internal.scheduler.Spillback;
import dev.weft.engine.internal.scheduler.Work;
import dev.weft.spi.PlacementPolicy;
import java.time.Duration;
import java.util.ArrayList;
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
 * timeout unless a node that fits is added first. Work queued on a node that cannot run it yet moves, when
 * another node frees resources it fits in, to that node ({@link Spillback}).
 */
final class Dispatcher implements Spillback {
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

    /** Tells every node with queued work that {@code node} has room now. Called on {@code node}'s loop. */
    @Override
    public void capacityFreed(NodeScheduler node) {
        for (NodeScheduler n : runtime.nodeList()) {
            if (n != node && n.alive() && n.snapshot().queued() > 0) {
                n.requestSpillCheck();
            }
        }
    }

    /**
     * The node the work's own policy picks among the nodes other than {@code from}, if that node fits it now.
     * Work bound to a node (affinity, placement group bundle) stays where it is. Called on {@code from}'s loop.
     */
    @Override
    public NodeScheduler target(Work work, NodeScheduler from) {
        if (work.groupId != null || work.strategy instanceof SchedulingStrategy.NodeAffinity || !work.awaitingPlacement()
                || runtime.isClosed()) {
            return null;
        }
        List<NodeScheduler> others = new ArrayList<>();
        for (NodeScheduler n : runtime.nodeList()) {
            if (n != from && n.alive() && ResourceIndex.fits(work.demand(), n.availableForPlacement())) {
                others.add(n);
            }
        }
        if (others.isEmpty()) {
            return null;
        }
        PlacementPolicy.Request request = new PlacementPolicy.Request(index.toMap(work.demand()),
                runtime.node(work.localNode).nodeId(), work.argumentBytesByNode());
        return policyFor(work, request).place(request, new SnapshotClusterView(others, index))
                .map(runtime::nodeById).orElse(null);
    }

    /** A node joined: parked work may fit now. */
    void retryParked() {
        for (Work w : List.copyOf(parked)) {
            if (parked.remove(w)) {
                dispatchLater(w);
            }
        }
    }

    int parkedCount() {
        return parked.size();
    }
}
