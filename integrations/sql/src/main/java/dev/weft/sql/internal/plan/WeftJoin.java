package dev.weft.sql.internal.plan;

import dev.weft.data.DataType;
import dev.weft.data.Dataset;
import dev.weft.data.Expr;
import dev.weft.data.JoinType;
import dev.weft.sql.SqlException;
import dev.weft.sql.internal.catalog.SqlTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;

/**
 * A join on equalities of columns: Weft's hash join (the right side broadcast when the statistics say it is small,
 * else both sides shuffled by key). An inner join's other conditions filter its output; a join without any
 * equality (a cross join) joins on a constant key.
 */
public final class WeftJoin extends Join implements WeftRel {
    /** Right sides estimated up to this size are broadcast. */
    private static final double BROADCAST_BYTES = Dataset.BROADCAST_THRESHOLD_BYTES;

    public WeftJoin(RelOptCluster cluster, RelTraitSet traits, RelNode left, RelNode right, RexNode condition,
                    JoinRelType joinType) {
        super(cluster, traits, List.of(), left, right, condition, Set.of(), joinType);
    }

    @Override
    public Join copy(RelTraitSet traitSet, RexNode condition, RelNode left, RelNode right, JoinRelType joinType,
                     boolean semiJoinDone) {
        return new WeftJoin(getCluster(), traitSet, left, right, condition, joinType);
    }

    /** The join's equi-keys and what is left of its condition. */
    record Keys(List<Integer> left, List<Integer> right, List<Boolean> filterNulls, RexNode remaining) {
    }

    static Keys keys(Join join) {
        List<Integer> lk = new ArrayList<>();
        List<Integer> rk = new ArrayList<>();
        List<Boolean> filterNulls = new ArrayList<>();
        // An OR of conjunctions that all hold the same equalities (TPC-H Q19) joins on them: pull them out first.
        RexNode condition = RexUtil.pullFactors(join.getCluster().getRexBuilder(), join.getCondition());
        RexNode remaining = RelOptUtil.splitJoinCondition(join.getLeft(), join.getRight(), condition, lk, rk,
                filterNulls);
        return new Keys(lk, rk, filterNulls, remaining);
    }

    /** Why Weft cannot run this join, or null when it can. */
    public static String unsupported(Join join) {
        Keys keys = keys(join);
        if (keys.filterNulls().stream().filter(f -> !f).count() > 1) {
            return "joins on more than one key compared with IS NOT DISTINCT FROM (a null key matching a null key): "
                    + join.getCondition();
        }
        boolean residual = !keys.remaining().isAlwaysTrue();
        return switch (join.getJoinType()) {
            case INNER -> null;
            case LEFT, RIGHT, FULL, SEMI, ANTI -> residual
                    ? join.getJoinType() + " join on a condition other than equalities of columns: " + join.getCondition()
                    : null;
            default -> join.getJoinType() + " joins";
        };
    }

    @Override
    public Built implement(Implementor implementor) {
        String why = unsupported(this);
        if (why != null) {
            throw SqlException.notSupported(why);
        }
        Keys keys = keys(this);
        Built left = implementor.visit(getLeft()).pruned();
        Built right = implementor.visit(getRight()).pruned();
        Dataset l = left.dataset();
        Dataset r = right.dataset();
        // Right columns get names of their own, so that the join keeps every column and renames none.
        Set<String> taken = new HashSet<>(left.present());
        Map<String, String> renames = new HashMap<>();
        for (String c : new LinkedHashSet<>(right.present())) {
            if (taken.contains(c)) {
                String name = c + "_r";
                for (int i = 0; taken.contains(name) || right.present().contains(name); i++) {
                    name = c + "_r" + i;
                }
                renames.put(c, name);
            }
            taken.add(renames.getOrDefault(c, c));
        }
        if (!renames.isEmpty()) {
            r = r.rename(renames);
        }
        List<String> rightColumns = right.columns().stream().map(c -> renames.getOrDefault(c, c)).toList();
        List<RelDataType> leftTypes = Rels.fieldTypes(getLeft());
        List<RelDataType> rightTypes = Rels.fieldTypes(getRight());
        List<String> leftOn = new ArrayList<>();
        List<String> rightOn = new ArrayList<>();
        for (int i = 0; i < keys.left().size(); i++) {
            String lc = left.columns().get(keys.left().get(i));
            String rc = rightColumns.get(keys.right().get(i));
            DataType lt = SqlTypes.weftType(leftTypes.get(keys.left().get(i)), lc);
            DataType rt = SqlTypes.weftType(rightTypes.get(keys.right().get(i)), rc);
            if (lt != rt) {
                // Join keys must have one type: both sides as the wider.
                DataType wide = lt.isFloating() || rt.isFloating() ? DataType.FLOAT64
                        : lt == DataType.STRING || rt == DataType.STRING ? DataType.STRING : DataType.INT64;
                if (lt != wide) {
                    String k = freshIn("$lk" + i, taken);
                    taken.add(k);
                    l = l.withColumn(k, Expr.col(lc).cast(wide));
                    lc = k;
                }
                if (rt != wide) {
                    String k = freshIn("$rk" + i, taken);
                    taken.add(k);
                    r = r.withColumn(k, Expr.col(rc).cast(wide));
                    rc = k;
                }
            }
            leftOn.add(lc);
            rightOn.add(rc);
        }
        JoinType type = switch (getJoinType()) {
            case INNER -> JoinType.INNER;
            case LEFT -> JoinType.LEFT_OUTER;
            case RIGHT -> JoinType.RIGHT_OUTER;
            case FULL -> JoinType.FULL_OUTER;
            case SEMI -> JoinType.LEFT_SEMI;
            case ANTI -> JoinType.LEFT_ANTI;
            default -> throw SqlException.notSupported(getJoinType() + " joins");
        };
        boolean broadcast = broadcastRight();
        List<String> columns = new ArrayList<>(left.columns());
        if (getJoinType().projectsRight()) {
            columns.addAll(rightColumns);
        }
        int nullSafe = keys.filterNulls().indexOf(false);
        Dataset joined;
        if (nullSafe < 0) {
            joined = join(l, r, leftOn, rightOn, type, broadcast, taken);
        } else {
            // IS NOT DISTINCT FROM: rows whose key is not null join on it; rows whose key is null join the other
            // side's null-key rows on the other keys. The two parts partition the rows, so outer joins stay exact.
            String lk = leftOn.get(nullSafe);
            String rk = rightOn.get(nullSafe);
            String[] keep = new LinkedHashSet<>(columns).toArray(String[]::new);
            Dataset notNull = join(l.filter(Expr.col(lk).isNotNull()), r.filter(Expr.col(rk).isNotNull()), leftOn,
                    rightOn, type, broadcast, taken).select(keep);
            List<String> otherLeft = new ArrayList<>(leftOn);
            List<String> otherRight = new ArrayList<>(rightOn);
            otherLeft.remove(nullSafe);
            otherRight.remove(nullSafe);
            Dataset bothNull = join(l.filter(Expr.col(lk).isNull()), r.filter(Expr.col(rk).isNull()), otherLeft,
                    otherRight, type, broadcast, taken).select(keep);
            joined = notNull.union(bothNull);
            taken = new HashSet<>(columns);
        }
        Built out = new Built(joined, columns, taken);
        if (!keys.remaining().isAlwaysTrue()) {
            List<RelDataType> types = new ArrayList<>(leftTypes);
            types.addAll(rightTypes);
            RexToExpr rex = new RexToExpr(columns, types, implementor, getCluster().getRexBuilder());
            out = new Built(joined.filter(rex.translate(RexUtil.flatten(getCluster().getRexBuilder(),
                    keys.remaining()))), columns, taken);
        }
        return out;
    }

    /** {@code l} joined with {@code r} on the keys, or on a constant key when there are none (a cross join). */
    private static Dataset join(Dataset l, Dataset r, List<String> leftOn, List<String> rightOn, JoinType type,
                                boolean broadcast, Set<String> taken) {
        if (!leftOn.isEmpty()) {
            return l.join(r, leftOn, rightOn, type, broadcast);
        }
        String lk = freshIn("$cross", taken);
        String rk = freshIn("$cross_r", Set.of(lk));
        rk = freshIn(rk, taken);
        return l.withColumn(lk, Expr.lit(0)).join(r.withColumn(rk, Expr.lit(0)), List.of(lk), List.of(rk), type, broadcast);
    }

    private static String freshIn(String preferred, Set<String> taken) {
        String name = preferred;
        for (int i = 0; taken.contains(name); i++) {
            name = preferred + "_" + i;
        }
        return name;
    }

    /**
     * Broadcast the right side when the join type allows it and the planner's statistics (row counts from Parquet
     * footers, not guesses) put its size under the broadcast threshold.
     */
    private boolean broadcastRight() {
        JoinRelType t = getJoinType();
        if (t != JoinRelType.INNER && t != JoinRelType.LEFT && t != JoinRelType.SEMI && t != JoinRelType.ANTI) {
            return false;
        }
        if (!Statistics.known(getRight())) {
            return false;
        }
        var mq = getCluster().getMetadataQuery();
        Double rows = mq.getRowCount(getRight());
        Double rowSize = mq.getAverageRowSize(getRight());
        return rows != null && rowSize != null && rows * rowSize <= BROADCAST_BYTES;
    }
}
