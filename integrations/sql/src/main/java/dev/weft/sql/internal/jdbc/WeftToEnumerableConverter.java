package dev.weft.sql.internal.jdbc;

import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterImpl;

/**
 * The top of a JDBC statement's plan: the Weft plan below it runs as a dataset, and only its result rows enter
 * Calcite's enumerable code (streamed, a batch at a time), never the tables' data.
 */
public final class WeftToEnumerableConverter extends ConverterImpl implements EnumerableRel {
    WeftToEnumerableConverter(RelOptCluster cluster, RelTraitSet traits, RelNode input) {
        super(cluster, ConventionTraitDef.INSTANCE, traits, input);
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new WeftToEnumerableConverter(getCluster(), traitSet, sole(inputs));
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.ARRAY, false);
        Expression query = implementor.stash(new WeftQuery(getInput()), WeftQuery.class);
        BlockBuilder block = new BlockBuilder();
        block.add(Expressions.return_(null, Expressions.call(query, "enumerable",
                org.apache.calcite.DataContext.ROOT)));
        return implementor.result(physType, block.toBlock());
    }
}
