package dev.weft.sql.internal.plan;

import dev.weft.data.Dataset;
import dev.weft.sql.SqlException;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.SetOp;
import org.apache.calcite.rel.core.Union;

/** {@code UNION ALL} (a {@code UNION} is a distinct aggregate over it): the inputs' blocks, one after another. */
public final class WeftUnion extends Union implements WeftRel {
    public WeftUnion(RelOptCluster cluster, RelTraitSet traits, List<RelNode> inputs, boolean all) {
        super(cluster, traits, List.of(), inputs, all);
    }

    @Override
    public SetOp copy(RelTraitSet traitSet, List<RelNode> inputs, boolean all) {
        return new WeftUnion(getCluster(), traitSet, inputs, all);
    }

    @Override
    public Built implement(Implementor implementor) {
        if (!all) {
            throw SqlException.notSupported("UNION without ALL here (it should have become a distinct aggregate)");
        }
        List<String> names = getRowType().getFieldNames();
        List<Dataset> parts = new ArrayList<>();
        for (RelNode input : getInputs()) {
            parts.add(implementor.visit(input).shapedAs(names));
        }
        Dataset first = parts.getFirst();
        return Built.of(first.union(parts.subList(1, parts.size()).toArray(Dataset[]::new)), names);
    }
}
