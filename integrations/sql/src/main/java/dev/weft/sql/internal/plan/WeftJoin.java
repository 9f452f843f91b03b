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
import java.util.LinkedHashMap;
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
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A join on equalities of columns: Weft's hash join (the right side broadcast when the statistics say it is small,
 * an inner join's left side instead when it is the smaller one and small, else both sides shuffled by key). An
 * inner join's other conditions filter its output; a join without any equality (a cross join) joins on a constant
 * key; a key compared with IS NOT DISTINCT FROM joins on whether it is null and its value.
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
        // Each side's dataset columns and their SQL types, for the row that keeps an empty build side typed.
        Map<String, RelDataType> leftSchema = new LinkedHashMap<>();
        for (int i = 0; i < left.columns().size(); i++) {
            leftSchema.putIfAbsent(left.columns().get(i), leftTypes.get(i));
        }
        Map<String, RelDataType> rightSchema = new LinkedHashMap<>();
        for (int i = 0; i < rightColumns.size(); i++) {
            rightSchema.putIfAbsent(rightColumns.get(i), rightTypes.get(i));
        }
        var typeFactory = getCluster().getTypeFactory();
        List<String> leftOn = new ArrayList<>();
        List<String> rightOn = new ArrayList<>();
        for (int i = 0; i < keys.left().size(); i++) {
            String lc = left.columns().get(keys.left().get(i));
            String rc = rightColumns.get(keys.right().get(i));
            RelDataType lType = leftTypes.get(keys.left().get(i));
            RelDataType rType = rightTypes.get(keys.right().get(i));
            DataType lt = SqlTypes.weftType(lType, lc);
            DataType rt = SqlTypes.weftType(rType, rc);
            if (lt != rt) {
                // Join keys must have one type: both sides as the wider.
                DataType wide = lt.isFloating() || rt.isFloating() ? DataType.FLOAT64
                        : lt == DataType.STRING || rt == DataType.STRING ? DataType.STRING : DataType.INT64;
                if (lt != wide) {
                    String k = freshIn("$lk" + i, taken);
                    taken.add(k);
                    l = l.withColumn(k, Expr.col(lc).cast(wide));
                    leftSchema.put(k, typeFactory.createTypeWithNullability(typeFactory.createSqlType(sqlType(wide)),
                            true));
                    lc = k;
                    lt = wide;
                }
                if (rt != wide) {
                    String k = freshIn("$rk" + i, taken);
                    taken.add(k);
                    r = r.withColumn(k, Expr.col(rc).cast(wide));
                    rightSchema.put(k, typeFactory.createTypeWithNullability(typeFactory.createSqlType(sqlType(wide)),
                            true));
                    rc = k;
                    rt = wide;
                }
            }
            if (lt == DataType.DECIMAL && rt == DataType.DECIMAL) {
                // Hash join keys must be of one Arrow type: decimals of one precision and scale.
                RelDataType common = typeFactory.createTypeWithNullability(
                        typeFactory.leastRestrictive(List.of(lType, rType)), true);
                String lk = freshIn("$lk" + i, taken);
                taken.add(lk);
                String rk = freshIn("$rk" + i, taken);
                taken.add(rk);
                l = l.withColumn(lk, SqlTypes.cast(Expr.col(lc), common, lc));
                r = r.withColumn(rk, SqlTypes.cast(Expr.col(rc), common, rc));
                leftSchema.put(lk, common);
                rightSchema.put(rk, common);
                lc = lk;
                rc = rk;
                rType = common;
            }
            if (!keys.filterNulls().get(i)) {
                // IS NOT DISTINCT FROM: the key as two columns that are never null, whether it is null and its value
                // (a zero where null), so that a null key matches a null key in an ordinary hash join.
                Object zero = Values.zero(lt);
                String ln = freshIn("$lnull" + i, taken);
                taken.add(ln);
                String lv = freshIn("$lval" + i, taken);
                taken.add(lv);
                String rn = freshIn("$rnull" + i, taken);
                taken.add(rn);
                String rv = freshIn("$rval" + i, taken);
                taken.add(rv);
                l = l.withColumn(ln, Expr.col(lc).isNull()).withColumn(lv, Expr.coalesce(Expr.col(lc), zero));
                r = r.withColumn(rn, Expr.col(rc).isNull()).withColumn(rv, Expr.coalesce(Expr.col(rc), zero));
                leftSchema.put(ln, typeFactory.createSqlType(SqlTypeName.BOOLEAN));
                leftSchema.put(lv, lType);
                rightSchema.put(rn, typeFactory.createSqlType(SqlTypeName.BOOLEAN));
                rightSchema.put(rv, rType);
                leftOn.add(ln);
                rightOn.add(rn);
                lc = lv;
                rc = rv;
            }
            leftOn.add(lc);
            rightOn.add(rc);
        }
        if (leftOn.isEmpty()) {
            // A cross join: on a constant key.
            String lk = freshIn("$cross", taken);
            taken.add(lk);
            String rk = freshIn("$cross_r", taken);
            taken.add(rk);
            l = l.withColumn(lk, Expr.lit(0));
            r = r.withColumn(rk, Expr.lit(0));
            leftSchema.put(lk, typeFactory.createSqlType(SqlTypeName.INTEGER));
            rightSchema.put(rk, typeFactory.createSqlType(SqlTypeName.INTEGER));
            leftOn.add(lk);
            rightOn.add(rk);
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
        Dataset joined;
        if (broadcastLeft()) {
            // The left side is the small one: it is built and broadcast, the right side streams through the tasks.
            // An inner join's columns are found by name, so the swapped order of the dataset's columns is harmless.
            if (mayBeEmptyWithoutSchema(getLeft())) {
                l = withUnmatchableRow(l, leftSchema);
            }
            joined = r.join(l, rightOn, leftOn, JoinType.INNER, true);
        } else {
            if (mayBeEmptyWithoutSchema(getRight()) && getJoinType() != JoinRelType.RIGHT
                    && getJoinType() != JoinRelType.FULL) {
                r = withUnmatchableRow(r, rightSchema);
            }
            joined = l.join(r, leftOn, rightOn, type, broadcastRight());
        }
        List<String> columns = new ArrayList<>(left.columns());
        if (getJoinType().projectsRight()) {
            columns.addAll(rightColumns);
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

    private static SqlTypeName sqlType(DataType t) {
        return switch (t) {
            case FLOAT64 -> SqlTypeName.DOUBLE;
            case STRING -> SqlTypeName.VARCHAR;
            default -> SqlTypeName.BIGINT;
        };
    }

    /**
     * Whether the dataset of {@code rel} may come out with no rows and no schema: datasets knows the schema of a
     * read, filter or projection from the plan, but that of an aggregate, join, union or sort only from a block,
     * and a join fails on a build side without one.
     */
    private static boolean mayBeEmptyWithoutSchema(RelNode rel) {
        return switch (rel) {
            case WeftTableScan s -> false;
            case WeftFilter f -> mayBeEmptyWithoutSchema(f.getInput());
            case WeftProject p -> mayBeEmptyWithoutSchema(p.getInput());
            default -> true;
        };
    }

    /**
     * {@code r} with one more row whose every column (join keys included) is null: it matches no row of an inner,
     * left, semi or anti join and so changes no answer, but the build side always has a block and so a schema.
     * Decimal columns are cast to their SQL type so that the blocks agree on precision and scale.
     */
    private static Dataset withUnmatchableRow(Dataset r, Map<String, RelDataType> schema) {
        List<String> names = new ArrayList<>(schema.keySet());
        List<RelDataType> types = new ArrayList<>(schema.values());
        List<Object> nulls = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            nulls.add(null);
            if (types.get(i).getSqlTypeName() == SqlTypeName.DECIMAL) {
                r = r.withColumn(names.get(i), SqlTypes.cast(Expr.col(names.get(i)), types.get(i), names.get(i)));
            }
        }
        return r.select(names.toArray(String[]::new)).union(Values.dataset(names, types, List.of(nulls)));
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
        double bytes = estimatedBytes(getRight());
        return bytes <= BROADCAST_BYTES;
    }

    /**
     * Whether to build an inner join on its left side instead: when the statistics put the left side under the
     * broadcast threshold and below the right side, so that the larger side is the one split between tasks (and
     * read in parallel) and the smaller one is hashed, as every hash join wants.
     */
    private boolean broadcastLeft() {
        if (getJoinType() != JoinRelType.INNER) {
            return false;
        }
        double l = estimatedBytes(getLeft());
        double r = estimatedBytes(getRight());
        return l <= BROADCAST_BYTES && l < r;
    }

    /** The planner's estimate of a side's bytes from footer row counts, or infinity where they are not known. */
    private static double estimatedBytes(RelNode side) {
        return Statistics.bytes(side);
    }
}
