package dev.weft.sql.internal.plan;

import dev.weft.data.DataType;
import dev.weft.data.Dataset;
import dev.weft.data.Expr;
import dev.weft.sql.SqlException;
import dev.weft.sql.internal.catalog.SqlTypes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

/**
 * Window functions ({@code OVER (PARTITION BY ... ORDER BY ...)}): each window group is a {@code groupBy(partition
 * keys).mapGroups(...)} whose function orders the partition's rows and appends the window values (a partition
 * must fit in one task's memory). ROW_NUMBER, RANK, DENSE_RANK, COUNT, SUM, AVG, MIN, MAX; frames from the
 * partition's start to the current row (ROWS or RANGE) or the whole partition.
 */
public final class WeftWindow extends Window implements WeftRel {
    public WeftWindow(RelOptCluster cluster, RelTraitSet traits, RelNode input, List<RexLiteral> constants,
                      RelDataType rowType, List<Group> groups) {
        super(cluster, traits, List.of(), input, constants, rowType, groups);
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new WeftWindow(getCluster(), traitSet, sole(inputs), constants, getRowType(), groups);
    }

    @Override
    public Window copy(List<RexLiteral> constants) {
        return new WeftWindow(getCluster(), getTraitSet(), getInput(), constants, getRowType(), groups);
    }

    /**
     * Whether {@code node} is {@code CASE WHEN c > 0 THEN s ELSE NULL END} over this window's outputs, with
     * {@code c} a COUNT and {@code s} a SUM or $SUM0 of the same argument in the same group — how Calcite writes SUM
     * OVER. This operator computes {@code s} as null when there is no value, so the CASE is {@code s} itself.
     */
    public RexNode guardedSum(RexNode node) {
        if (!(node instanceof org.apache.calcite.rex.RexCall call) || call.getKind() != org.apache.calcite.sql.SqlKind.CASE
                || call.getOperands().size() != 3
                || !(call.getOperands().get(0) instanceof org.apache.calcite.rex.RexCall cond)
                || cond.getKind() != org.apache.calcite.sql.SqlKind.GREATER_THAN
                || !(cond.getOperands().get(0) instanceof RexInputRef count)
                || !(cond.getOperands().get(1) instanceof RexLiteral zero) || zero.getValueAs(Integer.class) == null
                || zero.getValueAs(Integer.class) != 0
                || !(call.getOperands().get(1) instanceof RexInputRef sum)
                || !(call.getOperands().get(2) instanceof RexLiteral nothing) || !nothing.isNull()) {
            return null;
        }
        Window.RexWinAggCall c = output(count.getIndex());
        Window.RexWinAggCall s = output(sum.getIndex());
        if (c == null || s == null || c.getOperator().getKind() != org.apache.calcite.sql.SqlKind.COUNT
                || s.getOperator().getKind() != org.apache.calcite.sql.SqlKind.SUM0
                && s.getOperator().getKind() != org.apache.calcite.sql.SqlKind.SUM
                || !c.getOperands().equals(s.getOperands())) {
            return null;
        }
        return sum;
    }

    private Window.RexWinAggCall output(int field) {
        int index = getInput().getRowType().getFieldCount();
        for (Group g : groups) {
            for (RexNode call : g.aggCalls) {
                if (index++ == field) {
                    return (Window.RexWinAggCall) call;
                }
            }
        }
        return null;
    }

    /** Why Weft cannot compute these windows, or null when it can. */
    public static String unsupported(Window window) {
        int inputs = window.getInput().getRowType().getFieldCount();
        for (Group g : window.groups) {
            if (!g.lowerBound.isUnboundedPreceding() || !(g.upperBound.isCurrentRow()
                    || g.upperBound.isUnboundedFollowing() && g.orderKeys.getFieldCollations().isEmpty())) {
                return "window frames other than from the partition's start to the current row (" + g + ")";
            }
            for (RexNode call : g.aggCalls) {
                Window.RexWinAggCall agg = (Window.RexWinAggCall) call;
                String kind = agg.getOperator().getKind().name();
                if (!List.of("ROW_NUMBER", "RANK", "DENSE_RANK", "COUNT", "SUM", "SUM0", "AVG", "MIN", "MAX").contains(kind)
                        || agg.distinct) {
                    return "the window function " + agg.getOperator().getName() + (agg.distinct ? " DISTINCT" : "");
                }
                for (RexNode operand : agg.getOperands()) {
                    if (!(operand instanceof RexInputRef ref) || ref.getIndex() >= inputs) {
                        return "window function arguments other than columns: " + agg;
                    }
                }
            }
        }
        return null;
    }

    @Override
    public Built implement(Implementor implementor) {
        String why = unsupported(this);
        if (why != null) {
            throw SqlException.notSupported(why);
        }
        Built in = implementor.visit(getInput()).pruned();
        Dataset ds = in.dataset();
        List<String> columns = new ArrayList<>(in.columns());
        Set<String> present = new LinkedHashSet<>(in.present());
        List<String> names = getRowType().getFieldNames();
        int field = getInput().getRowType().getFieldCount();
        for (Group g : groups) {
            List<String> keys = new ArrayList<>();
            for (int k : g.keys) {
                keys.add(columns.get(k));
            }
            if (keys.isEmpty()) {
                String constant = in.fresh("$partition", present);
                present.add(constant);
                ds = ds.withColumn(constant, Expr.lit(0));
                keys.add(constant);
            }
            List<WindowFunction.Key> order = new ArrayList<>();
            for (RelFieldCollation key : g.orderKeys.getFieldCollations()) {
                boolean desc = key.getDirection().isDescending();
                boolean nullsFirst = key.nullDirection == RelFieldCollation.NullDirection.UNSPECIFIED
                        ? key.getDirection().defaultNullDirection() == RelFieldCollation.NullDirection.FIRST
                        : key.nullDirection == RelFieldCollation.NullDirection.FIRST;
                order.add(new WindowFunction.Key(columns.get(key.getFieldIndex()), desc, nullsFirst));
            }
            List<WindowFunction.Call> calls = new ArrayList<>();
            for (RexNode call : g.aggCalls) {
                Window.RexWinAggCall agg = (Window.RexWinAggCall) call;
                String name = in.fresh(names.get(field++), present);
                present.add(name);
                columns.add(name);
                String kind = agg.getOperator().getKind().name();
                String column = agg.getOperands().isEmpty() ? null
                        : columns.get(((RexInputRef) agg.getOperands().getFirst()).getIndex());
                DataType type = SqlTypes.weftType(agg.getType(), name);
                calls.add(new WindowFunction.Call(kind.equals("SUM0") ? "SUM0" : kind, column, name, type));
            }
            ds = ds.groupBy(keys.toArray(String[]::new)).mapGroups(new WindowFunction(order, calls, g.isRows));
        }
        return new Built(ds, columns, present);
    }
}
