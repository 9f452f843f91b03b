package dev.weft.sql.internal.rules;

import dev.weft.sql.internal.plan.WeftRel;
import dev.weft.sql.internal.plan.WeftWindow;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.logical.LogicalWindow;

/** Converts a {@link LogicalWindow} whose functions and frames Weft computes into a {@link WeftWindow}. */
public final class WindowToWeftRule extends ConverterRule {
    public static final Config DEFAULT = Config.INSTANCE
            .withConversion(LogicalWindow.class, Convention.NONE, WeftRel.CONVENTION, "WindowToWeftRule")
            .withRuleFactory(WindowToWeftRule::new);

    private WindowToWeftRule(Config config) {
        super(config);
    }

    @Override
    public RelNode convert(RelNode rel) {
        LogicalWindow w = (LogicalWindow) rel;
        if (WeftWindow.unsupported(w) != null) {
            return null; // the plan check names what is not supported
        }
        return new WeftWindow(w.getCluster(), w.getTraitSet().replace(WeftRel.CONVENTION), w.getInput(), w.constants,
                w.getRowType(), w.groups);
    }
}
