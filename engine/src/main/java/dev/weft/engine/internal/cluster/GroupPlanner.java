package dev.weft.engine.internal.cluster;

import dev.weft.api.Bundle;
import dev.weft.api.PlacementStrategy;
import dev.weft.engine.internal.cluster.proto.NodeEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the bundles of a placement group go, as a pure function of the live nodes' total resources: PACK and
 * STRICT_PACK put them on one node when one fits them all (PACK otherwise spreads what does not fit), SPREAD
 * and STRICT_SPREAD on distinct nodes (SPREAD reuses nodes when there are more bundles than nodes). Returns the
 * node of each bundle, or null when the strategy cannot be met by the cluster as it is.
 */
final class GroupPlanner {
    private GroupPlanner() {
    }

    static List<NodeEntry> plan(PlacementStrategy strategy, List<Bundle> bundles, List<NodeEntry> nodes) {
        List<NodeEntry> live = nodes.stream().filter(NodeEntry::getAlive).toList();
        if (live.isEmpty()) {
            return null;
        }
        Map<NodeEntry, Map<String, Double>> left = new HashMap<>();
        for (NodeEntry n : live) {
            left.put(n, new HashMap<>(n.getStats().getTotalMap()));
        }
        List<NodeEntry> out = new ArrayList<>();
        switch (strategy) {
            case STRICT_PACK, PACK -> {
                for (NodeEntry n : live) {
                    if (fitsAll(left.get(n), bundles)) {
                        bundles.forEach(b -> out.add(n));
                        return out;
                    }
                }
                if (strategy == PlacementStrategy.STRICT_PACK) {
                    return null;
                }
                for (Bundle b : bundles) {
                    NodeEntry n = live.stream().filter(x -> fits(left.get(x), b)).findFirst().orElse(null);
                    if (n == null) {
                        return null;
                    }
                    take(left.get(n), b);
                    out.add(n);
                }
                return out;
            }
            case SPREAD, STRICT_SPREAD -> {
                List<NodeEntry> used = new ArrayList<>();
                for (Bundle b : bundles) {
                    NodeEntry n = live.stream().filter(x -> !used.contains(x) && fits(left.get(x), b)).findFirst().orElse(null);
                    if (n == null && strategy == PlacementStrategy.SPREAD) {
                        n = live.stream().filter(x -> fits(left.get(x), b)).findFirst().orElse(null);
                    }
                    if (n == null) {
                        return null;
                    }
                    take(left.get(n), b);
                    used.add(n);
                    out.add(n);
                }
                return out;
            }
        }
        return null;
    }

    private static boolean fitsAll(Map<String, Double> left, List<Bundle> bundles) {
        Map<String, Double> copy = new HashMap<>(left);
        for (Bundle b : bundles) {
            if (!fits(copy, b)) {
                return false;
            }
            take(copy, b);
        }
        return true;
    }

    private static boolean fits(Map<String, Double> left, Bundle b) {
        return b.resources().entrySet().stream().allMatch(e -> left.getOrDefault(e.getKey(), 0.0) >= e.getValue());
    }

    private static void take(Map<String, Double> left, Bundle b) {
        b.resources().forEach((k, v) -> left.merge(k, -v, Double::sum));
    }
}
