package dev.weft.engine.internal.placement;

import dev.weft.api.PlacementStrategy;
import dev.weft.spi.PlacementPolicy.ClusterView;
import dev.weft.spi.PlacementPolicy.NodeView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Assigns the bundles of a placement group to nodes: a pure function of a read-only cluster view. With
 * {@code idle} true it plans against the nodes' total resources, which answers "could this group ever be
 * placed on this cluster?"; otherwise against what is available now.
 */
public final class BundlePlanner {
    private BundlePlanner() {
    }

    /** A node id per bundle, or empty when the bundles cannot be placed. */
    public static Optional<List<String>> plan(PlacementStrategy strategy, List<Map<String, Double>> bundles,
                                              ClusterView cluster, boolean idle) {
        List<Candidate> nodes = new ArrayList<>();
        for (NodeView n : cluster.nodes()) {
            if (n.alive()) {
                nodes.add(new Candidate(n.nodeId(), new HashMap<>(idle ? n.total() : n.available())));
            }
        }
        if (nodes.isEmpty()) {
            return Optional.empty();
        }
        String[] out = new String[bundles.size()];
        boolean ok = switch (strategy) {
            case STRICT_PACK -> strictPack(bundles, nodes, out);
            case PACK -> strictPack(bundles, nodes, out) || pack(bundles, nodes, out);
            case STRICT_SPREAD -> spread(bundles, nodes, out, true);
            case SPREAD -> spread(bundles, nodes, out, false);
        };
        return ok ? Optional.of(List.of(out)) : Optional.empty();
    }

    private static boolean strictPack(List<Map<String, Double>> bundles, List<Candidate> nodes, String[] out) {
        Map<String, Double> sum = new HashMap<>();
        bundles.forEach(b -> b.forEach((k, v) -> sum.merge(k, v, Double::sum)));
        Candidate best = null;
        for (Candidate c : nodes) {
            if (c.fits(sum) && (best == null || c.headroom() > best.headroom())) {
                best = c;
            }
        }
        if (best == null) {
            return false;
        }
        best.take(sum);
        java.util.Arrays.fill(out, best.id);
        return true;
    }

    /** Fill the node with most room first, then the next, so as few nodes as possible are used. */
    private static boolean pack(List<Map<String, Double>> bundles, List<Candidate> nodes, String[] out) {
        List<Candidate> order = new ArrayList<>(nodes);
        order.sort(Comparator.comparingDouble(Candidate::headroom).reversed());
        for (int i = 0; i < bundles.size(); i++) {
            Candidate chosen = null;
            for (Candidate c : order) {
                if (c.used > 0 && c.fits(bundles.get(i))) {
                    chosen = c;
                    break;
                }
            }
            if (chosen == null) {
                for (Candidate c : order) {
                    if (c.fits(bundles.get(i))) {
                        chosen = c;
                        break;
                    }
                }
            }
            if (chosen == null) {
                return false;
            }
            chosen.take(bundles.get(i));
            out[i] = chosen.id;
        }
        return true;
    }

    /** Each bundle to the node with the fewest bundles so far (strict: only nodes with none), biggest bundles first. */
    private static boolean spread(List<Map<String, Double>> bundles, List<Candidate> nodes, String[] out, boolean strict) {
        if (strict && bundles.size() > nodes.size()) {
            return false;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < bundles.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> total(bundles.get(i))).reversed());
        for (int i : order) {
            Candidate chosen = null;
            for (Candidate c : nodes) {
                if ((strict && c.used > 0) || !c.fits(bundles.get(i))) {
                    continue;
                }
                if (chosen == null || c.used < chosen.used || (c.used == chosen.used && c.headroom() > chosen.headroom())) {
                    chosen = c;
                }
            }
            if (chosen == null) {
                return false;
            }
            chosen.take(bundles.get(i));
            out[i] = chosen.id;
        }
        return true;
    }

    private static double total(Map<String, Double> bundle) {
        return bundle.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static final class Candidate {
        final String id;
        final Map<String, Double> room;
        int used;

        Candidate(String id, Map<String, Double> room) {
            this.id = id;
            this.room = room;
        }

        boolean fits(Map<String, Double> demand) {
            for (Map.Entry<String, Double> e : demand.entrySet()) {
                if (room.getOrDefault(e.getKey(), 0.0) + 1e-9 < e.getValue()) {
                    return false;
                }
            }
            return true;
        }

        void take(Map<String, Double> demand) {
            demand.forEach((k, v) -> room.merge(k, -v, Double::sum));
            used++;
        }

        double headroom() {
            return room.getOrDefault("CPU", 0.0);
        }
    }
}
