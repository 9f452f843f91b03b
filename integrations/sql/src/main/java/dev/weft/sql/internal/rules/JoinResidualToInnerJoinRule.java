package dev.weft.sql.internal.rules;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.tools.RelBuilderFactory;

/**
 * Rewrites a semi, anti or left join whose condition has a part other than equalities of columns (datasets' hash
 * join matches on keys only) into joins that need no such part:
 *
 * <ul>
 *   <li>{@code L SEMI/ANTI JOIN R ON c}: the distinct rows of {@code L} that {@code L INNER JOIN R ON c} matched,
 *       then {@code L SEMI/ANTI JOIN} those on every column of {@code L} (null-safe). Rows of {@code L} that are equal
 *       match alike, so duplicates keep their multiplicity.</li>
 *   <li>{@code L LEFT JOIN R ON c}: {@code L INNER JOIN R ON c} {@code UNION ALL} the rows of
 *       {@code L ANTI JOIN R ON c} with nulls for {@code R} (that anti join is rewritten in turn).</li>
 * </ul>
 *
 * Runs after the logical rewrites, so that conditions on one side alone have already gone into that side, and after
 * field trimming, so that the left side holds only the columns used above the join.
 */
public final class JoinResidualToInnerJoinRule extends RelRule<JoinResidualToInnerJoinRule.Config> {

    private JoinResidualToInnerJoinRule(Config config) {
        super(config);
    }

    /** Whether the join is one this rule rewrites. */
    static boolean matches(LogicalJoin join) {
        JoinRelType t = join.getJoinType();
        return (t == JoinRelType.SEMI || t == JoinRelType.ANTI || t == JoinRelType.LEFT)
                && !JoinInfo.of(join.getLeft(), join.getRight(), join.getCondition()).isEqui();
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        LogicalJoin join = call.rel(0);
        RelNode left = join.getLeft();
        RelNode right = join.getRight();
        RelBuilder b = call.builder();
        int n = left.getRowType().getFieldCount();
        if (join.getJoinType() == JoinRelType.LEFT) {
            b.push(left).push(right).join(JoinRelType.INNER, join.getCondition());
            b.push(left).push(right).join(JoinRelType.ANTI, join.getCondition());
            List<RexNode> padded = new ArrayList<>(b.fields());
            for (RelDataTypeField f : right.getRowType().getFieldList()) {
                padded.add(b.getRexBuilder().makeNullLiteral(
                        b.getTypeFactory().createTypeWithNullability(f.getType(), true)));
            }
            b.project(padded);
            b.union(true, 2);
            b.convert(join.getRowType(), false);
            call.transformTo(b.build());
            return;
        }
        b.push(left).push(right).join(JoinRelType.INNER, join.getCondition());
        b.project(b.fields(org.apache.calcite.util.ImmutableBitSet.range(n)));
        b.distinct();
        RelNode matched = b.build();
        b.push(left).push(matched);
        List<RexNode> same = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RexNode l = b.field(2, 0, i);
            RexNode r = b.field(2, 1, i);
            same.add(left.getRowType().getFieldList().get(i).getType().isNullable()
                    ? b.isNotDistinctFrom(l, r) : b.equals(l, r));
        }
        b.join(join.getJoinType(), same);
        call.transformTo(b.build());
    }

    /** The rule's configuration; immutable, {@code with*} methods return copies. */
    public record Config(String description, OperandTransform operandSupplier, RelBuilderFactory relBuilderFactory)
            implements RelRule.Config {
        public static final Config DEFAULT = new Config("JoinResidualToInnerJoinRule",
                b -> b.operand(LogicalJoin.class).predicate(JoinResidualToInnerJoinRule::matches).anyInputs(),
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
        public JoinResidualToInnerJoinRule toRule() {
            return new JoinResidualToInnerJoinRule(this);
        }
    }
}
