package dev.weft.sql.internal.rules;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.tools.RelBuilderFactory;

/**
 * Rewrites the distinct rows of one side of an inner join on column equalities plus one {@code x <> y} (an aggregate
 * without aggregate calls grouping by columns of that side only; the shape Calcite's decorrelation gives TPC-H
 * Q21's {@code EXISTS (... l2.l_suppkey <> l1.l_suppkey)}) into the same distinct rows of that side joined with the
 * other side's {@code MIN} and {@code MAX} of its {@code <>} column per key: a row of the kept side has a partner
 * with another value exactly when {@code v <> MIN OR v <> MAX} (nulls count for nothing, as in {@code <>}; a null
 * {@code v}, or no non-null value on the other side, makes it unknown, so no match). Duplicates do not matter under
 * the distinct, and the other side is aggregated to one row per key instead of joined row by row.
 */
public final class DistinctJoinNotEqualToMinMaxRule extends RelRule<DistinctJoinNotEqualToMinMaxRule.Config> {

    private DistinctJoinNotEqualToMinMaxRule(Config config) {
        super(config);
    }

    /** The join's parts: left and right key fields, and the {@code <>}'s left and right fields (right ones 0-based). */
    private record Shape(List<Integer> leftKeys, List<Integer> rightKeys, int x, int y) {
    }

    private static Shape shape(LogicalJoin join) {
        if (join.getJoinType() != JoinRelType.INNER) {
            return null;
        }
        int n = join.getLeft().getRowType().getFieldCount();
        List<Integer> lk = new ArrayList<>();
        List<Integer> rk = new ArrayList<>();
        int x = -1;
        int y = -1;
        for (RexNode c : RelOptUtil.conjunctions(join.getCondition())) {
            if (!(c instanceof RexCall call) || call.getOperands().size() != 2
                    || !(call.getOperands().get(0) instanceof RexInputRef a)
                    || !(call.getOperands().get(1) instanceof RexInputRef b)) {
                return null;
            }
            int l = Math.min(a.getIndex(), b.getIndex());
            int r = Math.max(a.getIndex(), b.getIndex());
            if (l >= n || r < n) {
                return null;
            }
            if (c.getKind() == SqlKind.EQUALS) {
                lk.add(l);
                rk.add(r - n);
            } else if (c.getKind() == SqlKind.NOT_EQUALS && x < 0) {
                x = l;
                y = r - n;
            } else {
                return null;
            }
        }
        return x < 0 || lk.isEmpty() ? null : new Shape(lk, rk, x, y);
    }

    /** Whether the aggregate (over the join) is one this rule rewrites: distinct rows of one side of the join. */
    static boolean matches(Aggregate aggregate, LogicalJoin join) {
        if (!aggregate.getAggCallList().isEmpty() || aggregate.getGroupSet().isEmpty()
                || aggregate.getGroupType() != Aggregate.Group.SIMPLE || shape(join) == null) {
            return false;
        }
        int n = join.getLeft().getRowType().getFieldCount();
        return aggregate.getGroupSet().asList().stream().allMatch(g -> g >= n)
                || aggregate.getGroupSet().asList().stream().allMatch(g -> g < n);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        Aggregate aggregate = call.rel(0);
        LogicalJoin join = call.rel(1);
        if (!matches(aggregate, join)) {
            return;
        }
        Shape s = shape(join);
        int n = join.getLeft().getRowType().getFieldCount();
        boolean keepRight = aggregate.getGroupSet().asList().stream().allMatch(g -> g >= n);
        RelNode kept = keepRight ? join.getRight() : join.getLeft();
        RelNode other = keepRight ? join.getLeft() : join.getRight();
        List<Integer> keptKeys = keepRight ? s.rightKeys() : s.leftKeys();
        List<Integer> otherKeys = keepRight ? s.leftKeys() : s.rightKeys();
        int keptValue = keepRight ? s.y() : s.x();
        int otherValue = keepRight ? s.x() : s.y();
        int k = keptKeys.size();
        RelBuilder b = call.builder();
        b.push(other);
        b.aggregate(b.groupKey(otherKeys.stream().map(b::field).toList()),
                b.min("$min", b.field(otherValue)), b.max("$max", b.field(otherValue)));
        RelNode perKey = b.build();
        b.push(kept).push(perKey);
        List<RexNode> on = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            on.add(b.equals(b.field(2, 0, keptKeys.get(i)), b.field(2, 1, i)));
        }
        RexNode v = b.field(2, 0, keptValue);
        on.add(b.or(b.notEquals(v, b.field(2, 1, k)), b.notEquals(v, b.field(2, 1, k + 1))));
        b.join(JoinRelType.INNER, on);
        int shift = keepRight ? n : 0;
        b.aggregate(b.groupKey(aggregate.getGroupSet().asList().stream().map(g -> b.field(g - shift)).toList()));
        call.transformTo(b.build());
    }

    /** The rule's configuration; immutable, {@code with*} methods return copies. */
    public record Config(String description, OperandTransform operandSupplier, RelBuilderFactory relBuilderFactory)
            implements RelRule.Config {
        public static final Config DEFAULT = new Config("DistinctJoinNotEqualToMinMaxRule",
                b -> b.operand(Aggregate.class).predicate(a -> a.getAggCallList().isEmpty())
                        .oneInput(j -> j.operand(LogicalJoin.class).predicate(join -> shape(join) != null).anyInputs()),
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
        public DistinctJoinNotEqualToMinMaxRule toRule() {
            return new DistinctJoinNotEqualToMinMaxRule(this);
        }
    }
}
