package dev.weft.sql.internal.rules;

import dev.weft.sql.internal.plan.*;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.logical.LogicalSort;

/** Converts a {@link LogicalSort} (ORDER BY, LIMIT, OFFSET) into a {@link WeftSort}. */
public final class SortToWeftRule extends ConverterRule {
    public static final Config DEFAULT = Config.INSTANCE
            .withConversion(LogicalSort.class, Convention.NONE, WeftRel.CONVENTION, "SortToWeftRule")
            .withRuleFactory(SortToWeftRule::new);

    private SortToWeftRule(Config config) {
        super(config);
    }

    @Override
    public RelNode convert(RelNode rel) {
        LogicalSort r = (LogicalSort) rel;
        return new WeftSort(r.getCluster(), r.getTraitSet().replace(WeftRel.CONVENTION), r.getInput(), r.getCollation(),
                r.offset, r.fetch);
    }
}
