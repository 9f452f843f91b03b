package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import dev.weft.data.Expr;
import dev.weft.data.internal.arrow.Batches;
import dev.weft.data.internal.arrow.SelectedRuns;
import dev.weft.data.internal.expr.ExprEvaluator;
import dev.weft.data.internal.plan.PlanAnalyzer;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Keeps the rows where an expression is true, evaluated column-at-a-time. */
public record FilterStage(Expr predicate) implements Stage {
    @Override
    public String explain() {
        return "Filter[" + predicate + "]";
    }

    @Override
    public CloseableIterator<VectorSchemaRoot> apply(CloseableIterator<VectorSchemaRoot> input, StageContext ctx) {
        boolean[] checked = {false};
        return Iterators.map(input, in -> {
            if (!checked[0]) {
                // The input's schema may only be known now (after a map or mapBatches): check as the plan would have.
                PlanChecks.onFirstBatch(in, () -> PlanAnalyzer.checkFilter(predicate, in.getSchema()));
                checked[0] = true;
            }
            try (in; BitVector mask = ExprEvaluator.evaluatePredicate(predicate, in, ctx.allocator())) {
                int n = in.getRowCount();
                SelectedRuns kept = SelectedRuns.of(mask, n);
                if (kept.selected() == 0) {
                    return null;
                }
                if (kept.selected() == n) {
                    return Batches.transfer(in, ctx.allocator());
                }
                return kept.copy(in, ctx.allocator());
            }
        });
    }
}
