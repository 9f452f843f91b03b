package dev.weft.sql.internal.plan;

import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rex.RexNode;

/** {@code WHERE}/{@code HAVING}: a vectorized dataset filter, which the optimizer pushes into reads. */
public final class WeftFilter extends Filter implements WeftRel {
    public WeftFilter(RelOptCluster cluster, RelTraitSet traits, RelNode input, RexNode condition) {
        super(cluster, traits, input, condition);
    }

    @Override
    public Filter copy(RelTraitSet traitSet, RelNode input, RexNode condition) {
        return new WeftFilter(getCluster(), traitSet, input, condition);
    }

    @Override
    public Built implement(Implementor implementor) {
        Built in = implementor.visit(getInput());
        RexToExpr rex = new RexToExpr(in.columns(), Rels.fieldTypes(getInput()), implementor,
                getCluster().getRexBuilder());
        return new Built(in.dataset().filter(rex.translate(getCondition())), in.columns(), in.present());
    }
}
