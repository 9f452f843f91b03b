package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import dev.weft.data.internal.plan.PlanAnalyzer;
import dev.weft.data.internal.plan.Projection;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Applies a {@link Projection} to each batch. */
public record ProjectStage(Projection projection) implements Stage {
    @Override
    public String explain() {
        return projection.explain();
    }

    @Override
    public CloseableIterator<VectorSchemaRoot> apply(CloseableIterator<VectorSchemaRoot> input, StageContext ctx) {
        boolean[] checked = {false};
        return Iterators.map(input, in -> {
            if (!checked[0]) {
                // The input's schema may only be known now (after a map or mapBatches): check as the plan would have.
                PlanChecks.onFirstBatch(in, () -> PlanAnalyzer.checkProjection(projection, in.getSchema()));
                checked[0] = true;
            }
            try (in) {
                return projection.apply(in, ctx.allocator());
            }
        });
    }
}
