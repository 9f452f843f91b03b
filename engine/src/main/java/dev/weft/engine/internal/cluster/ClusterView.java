package dev.weft.engine.internal.cluster;

import dev.weft.api.Resources;
import dev.weft.api.SchedulingStrategy;
import dev.weft.api.TaskUnschedulableException;
import dev.weft.engine.internal.cluster.proto.NodeEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A driver's view of the cluster for placement: the live nodes (refreshed from the GCS), the work this driver has
 * in flight on each, and nodes it saw fail (avoided until the GCS has had time to declare them dead). Placement is
 * a pure choice over this view. Thread-safe.
 */
final class ClusterView {
    private static final long SUSPECT_MILLIS = 10_000;

    private volatile List<NodeEntry> nodes = List.of();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Long> suspects = new ConcurrentHashMap<>();
    private final AtomicLong spread = new AtomicLong();

    void update(List<NodeEntry> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    List<NodeEntry> nodes() {
        return nodes;
    }

    void suspect(String address) {
        suspects.put(address, System.currentTimeMillis() + SUSPECT_MILLIS);
    }

    private boolean usable(NodeEntry n) {
        if (!n.getAlive()) {
            return false;
        }
        Long until = suspects.get(n.getAddress());
        return until == null || until < System.currentTimeMillis();
    }

    /** Whether {@code address} is a live node that this driver has not seen fail lately. */
    boolean live(String address) {
        for (NodeEntry n : nodes) {
            if (n.getAddress().equals(address)) {
                return usable(n);
            }
        }
        return false;
    }

    String nodeIdOf(String address) {
        for (NodeEntry n : nodes) {
            if (n.getAddress().equals(address)) {
                return n.getNodeId();
            }
        }
        return address;
    }

    AtomicInteger inFlight(String address) {
        return inFlight.computeIfAbsent(address, a -> new AtomicInteger());
    }

    /**
     * The node for work that needs {@code demand} under {@code strategy}: node affinity first, then round-robin
     * (spread), else the node with the least of this driver's work per CPU (hybrid, as seen from one driver).
     * Null when no live node exists; a node that can never fit the demand is chosen only when none can, so that
     * the node reports the infeasibility.
     */
    NodeEntry place(Map<String, Double> demand, SchedulingStrategy strategy, String what) {
        // plain loops, no streams: this runs for every task a driver sends
        List<NodeEntry> all = nodes;
        List<NodeEntry> live = new ArrayList<>(all.size());
        for (NodeEntry n : all) {
            if (usable(n)) {
                live.add(n);
            }
        }
        if (strategy instanceof SchedulingStrategy.NodeAffinity affinity) {
            for (NodeEntry n : live) {
                if (n.getNodeId().equals(affinity.nodeId())) {
                    return n;
                }
            }
            if (!affinity.soft()) {
                throw new TaskUnschedulableException(what + " must run on node " + affinity.nodeId()
                        + ", which is not a live node of the cluster (live: "
                        + live.stream().map(NodeEntry::getNodeId).toList() + ")");
            }
        }
        List<NodeEntry> fit = new ArrayList<>(live.size());
        for (NodeEntry n : live) {
            if (fits(n, demand)) {
                fit.add(n);
            }
        }
        List<NodeEntry> from = fit.isEmpty() ? live : fit;
        if (from.isEmpty()) {
            return null;
        }
        if (strategy instanceof SchedulingStrategy.Spread) {
            return from.get((int) Math.floorMod(spread.getAndIncrement(), (long) from.size()));
        }
        NodeEntry best = null;
        double bestLoad = Double.MAX_VALUE;
        for (NodeEntry n : from) {
            double cpus = Math.max(n.getStats().getTotalOrDefault(Resources.CPU, 0.0), 0.5);
            double load = inFlight(n.getAddress()).get() / cpus;
            if (load < bestLoad) {
                best = n;
                bestLoad = load;
            }
        }
        return best;
    }

    private static boolean fits(NodeEntry n, Map<String, Double> demand) {
        for (Map.Entry<String, Double> d : demand.entrySet()) {
            if (n.getStats().getTotalOrDefault(d.getKey(), 0.0) < d.getValue()) {
                return false;
            }
        }
        return true;
    }
}
