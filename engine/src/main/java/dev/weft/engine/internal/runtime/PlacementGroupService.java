package dev.weft.engine.internal.runtime;

import dev.weft.api.Bundle;
import dev.weft.api.PlacementGroup;
import dev.weft.api.PlacementStrategy;
import dev.weft.api.TaskUnschedulableException;
import dev.weft.engine.internal.objects.ObjectEntry;
import dev.weft.engine.internal.objects.ObjectValue;
import dev.weft.engine.internal.placement.BundlePlanner;
import dev.weft.engine.internal.placement.LocalPlacementGroup;
import dev.weft.engine.internal.placement.SnapshotClusterView;
import dev.weft.engine.internal.scheduler.NodeScheduler;
import dev.weft.engine.internal.scheduler.ResourceIndex;
import dev.weft.engine.internal.scheduler.Work;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Placement groups: plans bundles over a snapshot view, reserves them on each node's loop all or nothing
 * (two phases: reserve per node, then commit, or roll back the nodes that succeeded and retry later),
 * completes {@code ready()}, routes tasks and actors into their bundle, and frees bundles on remove. When a node
 * dies, the bundles it held are placed again on the surviving nodes (as Ray reschedules a group): work for them
 * waits meanwhile, and the group's other bundles, and the work running in them, are left alone.
 */
final class PlacementGroupService {
    private static final Logger LOG = LoggerFactory.getLogger(PlacementGroupService.class);
    private static final int PENDING = 0;
    private static final int READY = 1;
    private static final int REMOVED = 2;
    private static final int FAILED = 3;
    /** Ready once, then bundles were lost with their node: those are being placed again. */
    private static final int RESCHEDULING = 4;

    private final LocalRuntime runtime;
    private final LocalObjects objects;
    private final ConcurrentHashMap<String, Group> groups = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    PlacementGroupService(LocalRuntime runtime, LocalObjects objects) {
        this.runtime = runtime;
        this.objects = objects;
    }

    private static final class Group {
        final LocalPlacementGroup pg;
        final ObjectEntry ready;
        final List<Map<String, Double>> bundles;
        final double[][] demands;
        volatile int state = PENDING;
        volatile NodeScheduler[] nodes;
        final ConcurrentLinkedQueue<Work> waiting = new ConcurrentLinkedQueue<>();
        int retries;
        /** While RESCHEDULING: the indexes of the bundles lost with their node. */
        volatile int[] lost;
        /** A reservation of lost bundles is in flight (one at a time per group); guarded by the group. */
        boolean replacing;

        Group(LocalPlacementGroup pg, ObjectEntry ready, List<Map<String, Double>> bundles, double[][] demands) {
            this.pg = pg;
            this.ready = ready;
            this.bundles = bundles;
            this.demands = demands;
        }
    }

    PlacementGroup create(PlacementStrategy strategy, List<Bundle> bundles, String name) {
        runtime.checkOpen();
        String id = "pg-" + ids.incrementAndGet();
        ObjectEntry ready = objects.newEntry(false);
        LocalPlacementGroup pg = new LocalPlacementGroup(id, name, strategy, bundles, objects.handle(ready),
                this::remove, runtime);
        List<Map<String, Double>> maps = bundles.stream().map(Bundle::resources).toList();
        double[][] demands = new double[maps.size()][];
        for (int i = 0; i < demands.length; i++) {
            demands[i] = runtime.resourceIndex().vector(maps.get(i));
        }
        Group g = new Group(pg, ready, maps, demands);
        groups.put(id, g);
        SnapshotClusterView view = view();
        var plan = BundlePlanner.plan(strategy, maps, view, false);
        if (plan.isEmpty() && BundlePlanner.plan(strategy, maps, view, true).isEmpty()) {
            fail(g, new TaskUnschedulableException("placement group " + id + " (" + strategy + ", bundles " + maps
                    + ") can never be placed on this cluster: " + runtime.aliveNodeCount() + " alive nodes, biggest "
                    + runtime.biggestNodeDescription()));
            return pg;
        }
        if (plan.isPresent()) {
            reserve(g, plan.get());
        } else {
            retryLater(g);
        }
        return pg;
    }

    private SnapshotClusterView view() {
        return new SnapshotClusterView(runtime.nodeList(), runtime.resourceIndex());
    }

    private void tryReserve(Group g) {
        if (g.state == RESCHEDULING && !runtime.isClosed()) {
            tryReplace(g);
            return;
        }
        if (g.state != PENDING || runtime.isClosed()) {
            return;
        }
        var plan = BundlePlanner.plan(g.pg.strategy(), g.bundles, view(), false);
        if (plan.isEmpty()) {
            retryLater(g);
            return;
        }
        reserve(g, plan.get());
    }

    /** Phase one: ask each node's loop to reserve its bundles; the last answer commits or rolls back. */
    private void reserve(Group g, List<String> nodeIds) {
        int[] all = new int[nodeIds.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        reserve(g, all, nodeIds);
    }

    /** Reserves bundles {@code bundleIndexes[k]} on nodes {@code nodeIds.get(k)}, all or nothing. */
    private void reserve(Group g, int[] bundleIndexes, List<String> nodeIds) {
        Map<NodeScheduler, List<Integer>> byNode = new LinkedHashMap<>();
        for (int k = 0; k < nodeIds.size(); k++) {
            byNode.computeIfAbsent(runtime.nodeById(nodeIds.get(k)), n -> new ArrayList<>()).add(bundleIndexes[k]);
        }
        AtomicInteger outstanding = new AtomicInteger(byNode.size());
        ConcurrentLinkedQueue<NodeScheduler> reserved = new ConcurrentLinkedQueue<>();
        boolean[] failed = new boolean[1];
        for (Map.Entry<NodeScheduler, List<Integer>> e : byNode.entrySet()) {
            NodeScheduler node = e.getKey();
            int[] indexes = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            double[][] demands = new double[indexes.length][];
            for (int k = 0; k < indexes.length; k++) {
                demands[k] = g.demands[indexes[k]];
            }
            node.run(n -> {
                if (n.reserveBundles(g.pg.id(), g.bundles.size(), indexes, demands)) {
                    reserved.add(n);
                } else {
                    synchronized (failed) {
                        failed[0] = true;
                    }
                }
                if (outstanding.decrementAndGet() == 0) {
                    boolean anyFailed;
                    synchronized (failed) {
                        anyFailed = failed[0];
                    }
                    // leave the loop before touching other rings or completing user-visible futures
                    Thread.ofVirtual().start(() -> reservationDone(g, bundleIndexes, nodeIds, reserved, anyFailed));
                }
            });
        }
    }

    private void reservationDone(Group g, int[] bundleIndexes, List<String> nodeIds,
                                 ConcurrentLinkedQueue<NodeScheduler> reserved, boolean anyFailed) {
        boolean replacing;
        boolean stale;
        synchronized (g) {
            replacing = g.replacing;
            stale = replacing && !java.util.Arrays.equals(bundleIndexes, g.lost);
        }
        int expected = replacing ? RESCHEDULING : PENDING;
        boolean deadTarget = reserved.stream().anyMatch(n -> !n.alive());
        if (anyFailed || deadTarget || stale || g.state != expected) {
            if (replacing) {
                synchronized (g) {
                    g.replacing = false;
                }
            }
            for (NodeScheduler n : reserved) {
                n.run(x -> x.releaseBundles(g.pg.id(), "placement group " + g.pg.id() + " was rolled back",
                        bundleIndexes));
            }
            if (g.state == expected) {
                retryLater(g);
            }
            return;
        }
        boolean wasReady;
        synchronized (g) {
            if (g.state != expected) {
                g.replacing = false;
                for (NodeScheduler n : reserved) {
                    n.run(x -> x.releaseBundles(g.pg.id(), "placement group " + g.pg.id() + " was removed",
                            bundleIndexes));
                }
                return;
            }
            NodeScheduler[] nodes = replacing ? g.nodes.clone() : new NodeScheduler[g.bundles.size()];
            for (int k = 0; k < bundleIndexes.length; k++) {
                nodes[bundleIndexes[k]] = runtime.nodeById(nodeIds.get(k));
            }
            g.nodes = nodes;
            g.lost = null;
            g.retries = 0;
            g.replacing = false;
            wasReady = replacing;
            g.state = READY;
        }
        if (wasReady) {
            LOG.info("placement group {}: bundles {} placed again on {}", g.pg.id(), java.util.Arrays.toString(bundleIndexes),
                    nodeIds);
        } else {
            objects.complete(g.ready, new ObjectValue.Immutable(Boolean.TRUE));
        }
        Work w;
        while ((w = g.waiting.poll()) != null) {
            dispatchInGroup(w);
        }
    }

    private void retryLater(Group g) {
        long delay = Math.min(200, 5L << Math.min(g.retries++, 5));
        runtime.timer().schedule(() -> Thread.ofVirtual().start(() -> tryReserve(g)), delay, TimeUnit.MILLISECONDS);
    }

    private void fail(Group g, RuntimeException error) {
        synchronized (g) {
            if (g.state != PENDING) {
                return;
            }
            g.state = FAILED;
        }
        objects.complete(g.ready, new ObjectValue.Failed(error));
        Work w;
        while ((w = g.waiting.poll()) != null) {
            w.unschedulable(error);
        }
    }

    /** Sends work that runs in a bundle to the bundle's node, once the group is ready. */
    void dispatchInGroup(Work work) {
        Group g = groups.get(work.groupId);
        if (g == null || g.state == REMOVED || g.state == FAILED) {
            work.unschedulable(new TaskUnschedulableException(work.describe() + " targets placement group "
                    + work.groupId + ", which " + (g == null ? "is unknown" : g.state == REMOVED ? "was removed"
                    : "can never be placed")));
            return;
        }
        int bundle = work.bundleIndex;
        if (bundle >= 0 && !ResourceIndex.fits(work.demand(), g.demands[bundle])) {
            work.unschedulable(new TaskUnschedulableException(work.describe() + " demands "
                    + runtime.resourceIndex().toMap(work.demand()) + " but bundle " + bundle + " of placement group "
                    + g.pg.id() + " holds only " + g.bundles.get(bundle)));
            return;
        }
        int[] lost = g.state == RESCHEDULING ? g.lost : null;
        if (g.state == PENDING || (lost != null && bundle >= 0 && contains(lost, bundle))) {
            // not placed yet, or its bundle is being placed again: wait (bundles that survived keep working)
            g.waiting.add(work);
            if (g.state != PENDING && g.state != RESCHEDULING && g.waiting.remove(work)) {
                dispatchInGroup(work);
            }
            return;
        }
        NodeScheduler[] nodes = g.nodes;
        if (bundle < 0) {
            int start = (int) (ids.get() % nodes.length);
            boolean fitsALostOne = false;
            for (int k = 0; k < nodes.length; k++) {
                int i = (start + k) % nodes.length;
                if (ResourceIndex.fits(work.demand(), g.demands[i])) {
                    if (lost != null && contains(lost, i)) {
                        fitsALostOne = true;
                        continue;
                    }
                    bundle = i;
                    break;
                }
            }
            if (bundle < 0 && fitsALostOne) {
                g.waiting.add(work); // only a bundle being placed again is big enough
                if (g.state != RESCHEDULING && g.waiting.remove(work)) {
                    dispatchInGroup(work);
                }
                return;
            }
            if (bundle < 0) {
                work.unschedulable(new TaskUnschedulableException(work.describe() + " demands "
                        + runtime.resourceIndex().toMap(work.demand()) + " but no bundle of placement group "
                        + g.pg.id() + " is that big: " + g.bundles));
                return;
            }
        }
        if (!nodes[bundle].alive()) {
            nodeDied(nodes[bundle]); // the node died a moment ago: its bundles are placed again, the work waits
            dispatchInGroup(work);
            return;
        }
        nodes[bundle].submit(work, false);
    }

    /**
     * Node {@code dead} died (its bundles went with it): every ready group that had bundles there places them again
     * on the surviving nodes; work for them waits until then.
     */
    void nodeDied(NodeScheduler dead) {
        for (Group g : groups.values()) {
            int[] lost;
            synchronized (g) {
                NodeScheduler[] nodes = g.nodes;
                if ((g.state != READY && g.state != RESCHEDULING) || nodes == null) {
                    continue;
                }
                List<Integer> gone = new ArrayList<>();
                for (int i = 0; i < nodes.length; i++) {
                    if (nodes[i] == dead || !nodes[i].alive()) {
                        gone.add(i);
                    }
                }
                if (gone.isEmpty()) {
                    continue;
                }
                lost = gone.stream().mapToInt(Integer::intValue).toArray();
                if (g.state == RESCHEDULING && java.util.Arrays.equals(lost, g.lost)) {
                    continue; // already being placed again
                }
                g.lost = lost;
                g.state = RESCHEDULING;
            }
            LOG.warn("placement group {}: bundles {} were lost with node {}; placing them again", g.pg.id(),
                    java.util.Arrays.toString(lost), dead.nodeId());
            Thread.ofVirtual().start(() -> tryReplace(g));
        }
    }

    /**
     * Plans the lost bundles over the surviving nodes with the group's strategy: the strict strategies keep their
     * promise against the bundles that survived (STRICT_SPREAD avoids their nodes; STRICT_PACK moves the whole
     * group, whose bundles were all on the dead node).
     */
    private void tryReplace(Group g) {
        int[] lost;
        NodeScheduler[] nodes;
        synchronized (g) {
            lost = g.lost;
            nodes = g.nodes;
            if (g.state != RESCHEDULING || lost == null || nodes == null || runtime.isClosed() || g.replacing) {
                return; // a reservation in flight calls again when it ends
            }
            g.replacing = true;
        }
        List<Map<String, Double>> maps = new ArrayList<>(lost.length);
        for (int i : lost) {
            maps.add(g.bundles.get(i));
        }
        List<NodeScheduler> candidates = new ArrayList<>(runtime.nodeList());
        PlacementStrategy strategy = g.pg.strategy();
        if (strategy == PlacementStrategy.STRICT_SPREAD) {
            java.util.Set<Integer> lostSet = new java.util.HashSet<>();
            for (int i : lost) {
                lostSet.add(i);
            }
            for (int i = 0; i < nodes.length; i++) {
                if (!lostSet.contains(i)) {
                    candidates.remove(nodes[i]);
                }
            }
        }
        var plan = BundlePlanner.plan(strategy, maps, new SnapshotClusterView(candidates, runtime.resourceIndex()), false);
        if (plan.isEmpty()) {
            synchronized (g) {
                g.replacing = false;
            }
            retryLater(g);
            return;
        }
        reserve(g, lost, plan.get());
    }

    /** The group of this runtime behind {@code group}, or an error naming it. */
    LocalPlacementGroup own(PlacementGroup group) {
        if (!(group instanceof LocalPlacementGroup local) || local.runtime() != runtime) {
            throw new IllegalArgumentException("placement group " + group.id() + " belongs to another Weft runtime");
        }
        return local;
    }

    PlacementGroup byId(String id) {
        Group g = groups.get(id);
        if (g == null) {
            throw new IllegalArgumentException("placement group " + id + " is unknown to this runtime");
        }
        return g.pg;
    }

    private void remove(LocalPlacementGroup pg) {
        Group g = groups.get(pg.id());
        if (g == null) {
            return;
        }
        int previous;
        synchronized (g) {
            previous = g.state;
            if (previous == REMOVED) {
                return;
            }
            g.state = REMOVED;
        }
        groups.remove(pg.id());
        if (previous == PENDING) {
            objects.complete(g.ready, new ObjectValue.Failed(new TaskUnschedulableException(
                    "placement group " + pg.id() + " was removed before it was ready")));
        }
        Work w;
        while ((w = g.waiting.poll()) != null) {
            w.unschedulable(new TaskUnschedulableException(w.describe() + " targets placement group " + pg.id()
                    + ", which was removed"));
        }
        if (previous == READY || previous == RESCHEDULING) {
            release(g);
        }
        runtime.actors().killInGroup(pg.id());
    }

    private void release(Group g) {
        String reason = "placement group " + g.pg.id() + " was removed";
        NodeScheduler[] nodes = g.nodes;
        if (nodes == null) {
            return;
        }
        for (NodeScheduler n : java.util.Set.of(distinct(nodes))) {
            n.run(x -> {
                List<Work> running = x.runningInGroup(g.pg.id());
                x.releaseBundles(g.pg.id(), reason);
                for (Work r : running) {
                    if (r instanceof TaskSlot slot && slot.current != null) {
                        TaskRecord t = slot.current;
                        Thread.ofVirtual().start(() -> runtime.tasks().interrupt(t, reason));
                    }
                }
            });
        }
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static NodeScheduler[] distinct(NodeScheduler[] nodes) {
        return java.util.Arrays.stream(nodes).distinct().toArray(NodeScheduler[]::new);
    }

    int liveCount() {
        return groups.size();
    }
}
