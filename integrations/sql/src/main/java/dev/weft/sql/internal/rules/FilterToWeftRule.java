package dev.weft.sql.internal.rules;

import dev.weft.sql.internal.plan.*;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.logical.LogicalFilter;

/** Converts a {@link LogicalFilter} into a {@link WeftFilter}. */
public final class FilterToWeftRule extends ConverterRule {
    public static final Config DEFAULT = Config.INSTANCE
            .withConversion(LogicalFilter.class, Convention.NONE, WeftRel.CONVENTION, "FilterToWeftRule")
            .withRuleFactory(FilterToWeftRule::new);

    private FilterToWeftRule(Config config) {
        super(config);
    }

    @Override
    public RelNode convert(RelNode rel) {
        LogicalFilter r = (LogicalFilter) rel;
        return new WeftFilter(r.getCluster(), r.getTraitSet().replace(WeftRel.CONVENTION), r.getInput(), r.getCondition());
    }
}
