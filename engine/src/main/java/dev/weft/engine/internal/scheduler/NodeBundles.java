package dev.weft.engine.internal.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The placement-group bundles reserved on one node: each bundle's resources and the work queued for it. Work in
 * a bundle is admitted against the bundle's resources only, so it never competes with the node's other work.
 * Owned by the node's loop; not thread-safe.
 */
final class NodeBundles {
    private final HashMap<String, BundleSlot[]> groups = new HashMap<>();
    /** Some bundle has queued work: the loop looks at the bundle queues when it drains. */
    private boolean queued;

    /** Adds reserved bundles {@code indexes} of a group of {@code bundleCount}. */
    void add(String groupId, int bundleCount, int[] indexes, double[][] demands, int width) {
        BundleSlot[] slots = groups.computeIfAbsent(groupId, g -> new BundleSlot[bundleCount]);
        for (int k = 0; k < indexes.length; k++) {
            slots[indexes[k]] = new BundleSlot(groupId, indexes[k], demands[k], width);
        }
    }

    /** Removes a group's bundles; null when it has none here. */
    BundleSlot[] remove(String groupId) {
        return groups.remove(groupId);
    }

    /** Removes bundles {@code indexes} of a group (the group stays if others remain); the removed ones. */
    BundleSlot[] remove(String groupId, int[] indexes) {
        BundleSlot[] slots = groups.get(groupId);
        if (slots == null) {
            return null;
        }
        BundleSlot[] out = new BundleSlot[indexes.length];
        for (int k = 0; k < indexes.length; k++) {
            int i = indexes[k];
            if (i >= 0 && i < slots.length) {
                out[k] = slots[i];
                slots[i] = null;
            }
        }
        boolean any = false;
        for (BundleSlot s : slots) {
            any |= s != null;
        }
        if (!any) {
            groups.remove(groupId);
        }
        return out;
    }

    boolean holds(String groupId) {
        return groups.containsKey(groupId);
    }

    /**
     * The bundle {@code work} should run in: its bundle index if it names one, else the first bundle with room
     * now, else the first it could ever fit in; null when the group has no such bundle on this node.
     */
    BundleSlot pick(Work work) {
        BundleSlot[] slots = groups.get(work.groupId);
        if (slots == null) {
            return null;
        }
        if (work.bundleIndex >= 0) {
            return work.bundleIndex < slots.length ? slots[work.bundleIndex] : null;
        }
        BundleSlot firstFitting = null;
        for (BundleSlot s : slots) {
            if (s != null && ResourceIndex.fits(work.demand, s.total)) {
                if (ResourceIndex.fits(work.demand, s.available)) {
                    return s;
                }
                if (firstFitting == null) {
                    firstFitting = s;
                }
            }
        }
        return firstFitting;
    }

    void enqueue(BundleSlot slot, Work work) {
        slot.queue.add(work);
        queued = true;
    }

    /** Admits queued bundle work that fits its bundle now, in queue order per bundle. */
    void drain(BiConsumer<Work, BundleSlot> admit) {
        if (!queued) {
            return;
        }
        boolean any = false;
        for (BundleSlot[] slots : groups.values()) {
            for (BundleSlot s : slots) {
                if (s == null) {
                    continue;
                }
                Work head;
                while ((head = s.queue.peek()) != null) {
                    if (head.isCancelled()) {
                        s.queue.poll();
                    } else if (ResourceIndex.fits(head.demand, s.available)) {
                        s.queue.poll();
                        admit.accept(head, s);
                    } else {
                        break;
                    }
                }
                any |= !s.queue.isEmpty();
            }
        }
        queued = any;
    }

    /** Removes and returns the work queued in every bundle. */
    List<Work> takeQueued() {
        List<Work> out = new ArrayList<>();
        for (BundleSlot[] slots : groups.values()) {
            for (BundleSlot s : slots) {
                if (s != null) {
                    out.addAll(s.queue);
                    s.queue.clear();
                }
            }
        }
        queued = false;
        return out;
    }

    void clear() {
        groups.clear();
        queued = false;
    }

    /** The sum of {@code demands} over {@code width} resource slots, or null when a demand names a slot past it. */
    static double[] sum(double[][] demands, int width) {
        double[] sum = new double[width];
        for (double[] d : demands) {
            if (d.length > width) {
                return null;
            }
            for (int i = 0; i < d.length; i++) {
                sum[i] += d[i];
            }
        }
        return sum;
    }

    /**
     * Ends {@code slots} (null entries skipped): their queued work is rejected with {@code reason} and their
     * resources go back to {@code available} (null when the node is dead). Returns the slots ended.
     */
    static java.util.Set<BundleSlot> close(BundleSlot[] slots, String reason, double[] available) {
        java.util.Set<BundleSlot> gone = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (BundleSlot s : slots) {
            if (s == null) {
                continue;
            }
            gone.add(s);
            if (available != null) {
                ResourceIndex.add(available, s.total);
            }
            Work w;
            while ((w = s.queue.poll()) != null) {
                w.rejected(reason);
            }
        }
        return gone;
    }
}
