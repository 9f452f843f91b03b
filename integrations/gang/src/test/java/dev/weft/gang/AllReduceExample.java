package dev.weft.gang;

import dev.weft.api.PlacementStrategy;
import dev.weft.api.Weft;
import java.util.List;

/**
 * Runnable example: four members placed one per node (STRICT_SPREAD needs four nodes; use PACK on one machine),
 * each with a "gradient" of its own, average them with a ring all-reduce over their own sockets, as data-parallel
 * training does after every step.
 */
public final class AllReduceExample {
    private AllReduceExample() {
    }

    /** Member {@code rank}'s gradient: whole numbers, so the average is exact. */
    static double[] gradient(int rank, int length) {
        double[] g = new double[length];
        for (int i = 0; i < length; i++) {
            g[i] = (rank + 1) * 4.0 + i % 8;
        }
        return g;
    }

    static double[] averageGradient(Void state, GroupContext ctx) throws Exception {
        double[] g = gradient(ctx.rank(), 1 << 20);
        ctx.ring().allReduceSum(g);
        for (int i = 0; i < g.length; i++) {
            g[i] /= ctx.worldSize();
        }
        return g;
    }

    static List<double[]> run(Weft weft, int members, PlacementStrategy strategy) {
        try (WorkerGroup<Void> group = WorkerGroup.builder(weft).size(members).strategy(strategy).start()) {
            return group.run(AllReduceExample::averageGradient);
        }
    }

    public static void main(String[] args) {
        try (Weft weft = Weft.init()) {
            List<double[]> averaged = run(weft, 4, PlacementStrategy.PACK);
            System.out.printf("4 members averaged 2^20 values; first values on rank 0: %.1f %.1f %.1f%n",
                    averaged.get(0)[0], averaged.get(0)[1], averaged.get(0)[2]);
        }
    }
}
