package dev.weft.sql.internal.rules;

import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.tools.RelBuilderFactory;

/**
 * Rewrites a join condition that is an OR of conjunctions sharing some conjuncts into those conjuncts AND the OR of
 * the rest ({@code (a AND b) OR (a AND c)} into {@code a AND (b OR c)}, which holds in SQL's three-valued logic too),
 * so that the shared equalities become join keys and the shared conditions on one side alone move into that side
 * (TPC-H Q19: the join key and the ship mode and instruction filters reach lineitem's read).
 */
public final class JoinPullFactorsRule extends RelRule<JoinPullFactorsRule.Config> {

    private JoinPullFactorsRule(Config config) {
        super(config);
    }

    private static RexNode pulled(LogicalJoin join) {
        return RexUtil.pullFactors(join.getCluster().getRexBuilder(), join.getCondition());
    }

    /** Whether pulling the common factors out changes the join's condition. */
    static boolean matches(LogicalJoin join) {
        return !pulled(join).equals(join.getCondition());
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        LogicalJoin join = call.rel(0);
        call.transformTo(join.copy(join.getTraitSet(), pulled(join), join.getLeft(), join.getRight(),
                join.getJoinType(), join.isSemiJoinDone()));
    }

    /** The rule's configuration; immutable, {@code with*} methods return copies. */
    public record Config(String description, OperandTransform operandSupplier, RelBuilderFactory relBuilderFactory)
            implements RelRule.Config {
        public static final Config DEFAULT = new Config("JoinPullFactorsRule",
                b -> b.operand(LogicalJoin.class).predicate(JoinPullFactorsRule::matches).anyInputs(),
                RelFactories.LOGICAL_BUILDER);

        @Override
        public Config withDescription(String description) {
            return new Config(description, operandSupplier, relBuilderFactory);
        }

        @Override
        public Config withOperandSupplier(OperandTransform operandSupplier) {
            return new Config(description, operandSupplier, relBuilderFactory);
        }

        @Override
        public Config withRelBuilderFactory(RelBuilderFactory relBuilderFactory) {
            return new Config(description, operandSupplier, relBuilderFactory);
        }

        @Override
        public JoinPullFactorsRule toRule() {
            return new JoinPullFactorsRule(this);
        }
    }
}
