package dev.weft.sql.internal.rules;

import dev.weft.sql.internal.plan.*;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.logical.LogicalJoin;

/** Converts a {@link LogicalJoin} on equalities of columns (plus, for inner joins, any other condition) into a {@link WeftJoin}. */
public final class JoinToWeftRule extends ConverterRule {
    public static final Config DEFAULT = Config.INSTANCE
            .withConversion(LogicalJoin.class, Convention.NONE, WeftRel.CONVENTION, "JoinToWeftRule")
            .withRuleFactory(JoinToWeftRule::new);

    private JoinToWeftRule(Config config) {
        super(config);
    }

    @Override
    public RelNode convert(RelNode rel) {
        LogicalJoin r = (LogicalJoin) rel;
        if (WeftJoin.unsupported(r) != null) {
            return null; // the plan check names what is not supported
        }
        return new WeftJoin(r.getCluster(), r.getTraitSet().replace(WeftRel.CONVENTION), r.getLeft(), r.getRight(),
                r.getCondition(), r.getJoinType());
    }
}
