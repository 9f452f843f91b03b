package dev.weft.sql.internal.rules;

import dev.weft.sql.internal.plan.*;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.logical.LogicalAggregate;

/** Converts a {@link LogicalAggregate} that datasets can compute into a {@link WeftAggregate}. */
public final class AggregateToWeftRule extends ConverterRule {
    public static final Config DEFAULT = Config.INSTANCE
            .withConversion(LogicalAggregate.class, Convention.NONE, WeftRel.CONVENTION, "AggregateToWeftRule")
            .withRuleFactory(AggregateToWeftRule::new);

    private AggregateToWeftRule(Config config) {
        super(config);
    }

    @Override
    public RelNode convert(RelNode rel) {
        LogicalAggregate r = (LogicalAggregate) rel;
        if (WeftAggregate.unsupported(r) != null) {
            return null; // the plan check names what is not supported
        }
        return new WeftAggregate(r.getCluster(), r.getTraitSet().replace(WeftRel.CONVENTION), r.getInput(), r.getGroupSet(),
                r.getGroupSets(), r.getAggCallList());
    }
}
