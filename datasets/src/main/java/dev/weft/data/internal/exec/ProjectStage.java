package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
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
        return Iterators.map(input, in -> {
            try (in) {
                return projection.apply(in, ctx.allocator());
            }
        });
    }
}
