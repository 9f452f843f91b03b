package dev.weft.sql.internal.rules;

import dev.weft.sql.internal.plan.*;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.logical.LogicalValues;

/** Converts {@link LogicalValues} into {@link WeftValues}. */
public final class ValuesToWeftRule extends ConverterRule {
    public static final Config DEFAULT = Config.INSTANCE
            .withConversion(LogicalValues.class, Convention.NONE, WeftRel.CONVENTION, "ValuesToWeftRule")
            .withRuleFactory(ValuesToWeftRule::new);

    private ValuesToWeftRule(Config config) {
        super(config);
    }

    @Override
    public RelNode convert(RelNode rel) {
        LogicalValues r = (LogicalValues) rel;
        return new WeftValues(r.getCluster(), r.getRowType(), r.getTuples(), r.getTraitSet().replace(WeftRel.CONVENTION));
    }
}
