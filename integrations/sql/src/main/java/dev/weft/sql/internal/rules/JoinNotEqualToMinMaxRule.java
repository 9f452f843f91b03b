package dev.weft.sql.internal.rules;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
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
 * Rewrites a semi or anti join on column equalities plus one {@code x <> y} ({@code x} a left column, {@code y} a
 * right one; TPC-H Q21's {@code EXISTS (... l2.l_suppkey <> l1.l_suppkey)}) into a join with the right side's
 * {@code MIN(y)} and {@code MAX(y)} per key: some right row of the key has a {@code y} other than {@code x} exactly
 * when {@code x <> MIN(y) OR x <> MAX(y)} (nulls among the {@code y} count for nothing, as in {@code <>}; a null
 * {@code x} or no non-null {@code y} makes that unknown, so no match).
 *
 * <ul>
 *   <li>semi: {@code L INNER JOIN (min, max per key) ON keys AND (x <> min OR x <> max)}, left columns (one row per
 *       key on the right, so left rows are not repeated);</li>
 *   <li>anti: {@code L LEFT JOIN (min, max per key) ON keys}, the rows where the semi condition is not true:
 *       {@code min IS NULL OR x IS NULL OR (x = min AND x = max)}, left columns.</li>
 * </ul>
 *
 * The right side is read once, where {@link JoinResidualToInnerJoinRule}'s general rewrite reads both sides twice.
 */
public final class JoinNotEqualToMinMaxRule extends RelRule<JoinNotEqualToMinMaxRule.Config> {

    private JoinNotEqualToMinMaxRule(Config config) {
        super(config);
    }

    /** The join's parts: left and right key fields, and the {@code <>}'s left and right fields (right ones 0-based). */
    private record Shape(List<Integer> leftKeys, List<Integer> rightKeys, int x, int y) {
    }

    private static Shape shape(LogicalJoin join) {
        JoinRelType t = join.getJoinType();
        if (t != JoinRelType.SEMI && t != JoinRelType.ANTI) {
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

    /** Whether the join is a semi or anti join this rule rewrites. */
    static boolean matches(LogicalJoin join) {
        return shape(join) != null;
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        LogicalJoin join = call.rel(0);
        Shape s = shape(join);
        RelBuilder b = call.builder();
        int n = join.getLeft().getRowType().getFieldCount();
        int k = s.rightKeys().size();
        b.push(join.getRight());
        b.aggregate(b.groupKey(s.rightKeys().stream().map(b::field).toList()),
                b.min("$min", b.field(s.y())), b.max("$max", b.field(s.y())));
        RelNode perKey = b.build();
        b.push(join.getLeft()).push(perKey);
        List<RexNode> on = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            on.add(b.equals(b.field(2, 0, s.leftKeys().get(i)), b.field(2, 1, i)));
        }
        if (join.getJoinType() == JoinRelType.SEMI) {
            RexNode x = b.field(2, 0, s.x());
            on.add(b.or(b.notEquals(x, b.field(2, 1, k)), b.notEquals(x, b.field(2, 1, k + 1))));
            b.join(JoinRelType.INNER, on);
        } else {
            b.join(JoinRelType.LEFT, on);
            RexNode x = b.field(s.x());
            RexNode min = b.field(n + k);
            RexNode max = b.field(n + k + 1);
            b.filter(b.or(b.isNull(min), b.isNull(x), b.and(b.equals(x, min), b.equals(x, max))));
        }
        b.project(b.fields(org.apache.calcite.util.ImmutableBitSet.range(n)));
        call.transformTo(b.build());
    }

    /** The rule's configuration; immutable, {@code with*} methods return copies. */
    public record Config(String description, OperandTransform operandSupplier, RelBuilderFactory relBuilderFactory)
            implements RelRule.Config {
        public static final Config DEFAULT = new Config("JoinNotEqualToMinMaxRule",
                b -> b.operand(LogicalJoin.class).predicate(JoinNotEqualToMinMaxRule::matches).anyInputs(),
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
        public JoinNotEqualToMinMaxRule toRule() {
            return new JoinNotEqualToMinMaxRule(this);
        }
    }
}
