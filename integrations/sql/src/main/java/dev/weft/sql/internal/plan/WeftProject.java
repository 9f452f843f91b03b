package dev.weft.sql.internal.plan;

import dev.weft.data.Dataset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;

/**
 * {@code SELECT} expressions: columns passed through keep their dataset column (no copy); computed ones become
 * {@code withColumn}s; then only the needed columns are kept, which the optimizer pushes into reads.
 */
public final class WeftProject extends Project implements WeftRel {
    public WeftProject(RelOptCluster cluster, RelTraitSet traits, RelNode input, List<? extends RexNode> projects,
                       RelDataType rowType) {
        super(cluster, traits, List.of(), input, projects, rowType, Set.of());
    }

    @Override
    public Project copy(RelTraitSet traitSet, RelNode input, List<RexNode> projects, RelDataType rowType) {
        return new WeftProject(getCluster(), traitSet, input, projects, rowType);
    }

    @Override
    public Built implement(Implementor implementor) {
        Built in = implementor.visit(getInput());
        RexToExpr rex = new RexToExpr(in.columns(), Rels.fieldTypes(getInput()), implementor,
                getCluster().getRexBuilder());
        Dataset ds = in.dataset();
        List<String> columns = new ArrayList<>();
        Set<String> added = new HashSet<>();
        List<String> names = getRowType().getFieldNames();
        for (int i = 0; i < getProjects().size(); i++) {
            RexNode e = getProjects().get(i);
            if (getInput() instanceof WeftWindow window) {
                e = e.accept(new org.apache.calcite.rex.RexShuttle() {
                    @Override
                    public RexNode visitCall(org.apache.calcite.rex.RexCall call) {
                        RexNode sum = window.guardedSum(call);
                        return sum != null ? sum : super.visitCall(call);
                    }
                });
            }
            if (e instanceof RexInputRef ref) {
                columns.add(in.columns().get(ref.getIndex()));
            } else {
                String name = in.fresh(names.get(i), added);
                added.add(name);
                ds = ds.withColumn(name, rex.translate(e));
                columns.add(name);
            }
        }
        Set<String> keep = new LinkedHashSet<>(columns);
        if (keep.isEmpty()) {
            // No fields (e.g. under COUNT(*)): keep one column so that the rows still exist.
            String any = in.present().iterator().next();
            return new Built(ds.select(any), columns, Set.of(any));
        }
        return new Built(ds.select(keep.toArray(String[]::new)), columns, keep);
    }
}
