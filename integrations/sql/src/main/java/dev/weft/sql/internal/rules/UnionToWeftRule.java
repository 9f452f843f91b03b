package dev.weft.sql.internal.rules;

import dev.weft.sql.internal.plan.*;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.logical.LogicalUnion;

/** Converts a {@link LogicalUnion} ALL into a {@link WeftUnion}. */
public final class UnionToWeftRule extends ConverterRule {
    public static final Config DEFAULT = Config.INSTANCE
            .withConversion(LogicalUnion.class, Convention.NONE, WeftRel.CONVENTION, "UnionToWeftRule")
            .withRuleFactory(UnionToWeftRule::new);

    private UnionToWeftRule(Config config) {
        super(config);
    }

    @Override
    public RelNode convert(RelNode rel) {
        LogicalUnion r = (LogicalUnion) rel;
        if (!r.all) {
            return null; // UNION_TO_DISTINCT makes a distinct union an aggregate over UNION ALL first
        }
        return new WeftUnion(r.getCluster(), r.getTraitSet().replace(WeftRel.CONVENTION), r.getInputs(), true);
    }
}
