package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import dev.weft.data.internal.arrow.Batches;
import java.util.SplittableRandom;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Keeps each row with probability {@code fraction}. The random stream is seeded by the seed and the task index,
 * so the same plan over the same blocks samples the same rows.
 */
public record SampleStage(double fraction, long seed) implements Stage {
    @Override
    public String explain() {
        return "RandomSample[fraction=" + fraction + ", seed=" + seed + "]";
    }

    @Override
    public CloseableIterator<VectorSchemaRoot> apply(CloseableIterator<VectorSchemaRoot> input, StageContext ctx) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + ctx.taskIndex());
        return Iterators.map(input, in -> {
            try (in) {
                int n = in.getRowCount();
                int[] keep = new int[n];
                int k = 0;
                for (int i = 0; i < n; i++) {
                    if (random.nextDouble() < fraction) {
                        keep[k++] = i;
                    }
                }
                return k == 0 ? null : Batches.take(in, keep, k, ctx.allocator());
            }
        });
    }
}
