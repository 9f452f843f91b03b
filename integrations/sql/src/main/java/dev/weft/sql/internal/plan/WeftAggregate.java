package dev.weft.sql.internal.plan;

import dev.weft.data.Agg;
import dev.weft.data.DataType;
import dev.weft.data.Dataset;
import dev.weft.data.Expr;
import dev.weft.sql.SqlException;
import dev.weft.sql.internal.catalog.SqlTypes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * {@code GROUP BY} and aggregate functions: a hash group-by through the object store with partial aggregation in
 * the producing tasks. A global aggregate (no {@code GROUP BY}) gives one row also over no rows, as SQL requires:
 * its one-row result is unioned with a row of defaults (0 for counts, null otherwise) and folded again.
 */
public final class WeftAggregate extends Aggregate implements WeftRel {
    public WeftAggregate(RelOptCluster cluster, RelTraitSet traits, RelNode input, ImmutableBitSet groupSet,
                         List<ImmutableBitSet> groupSets, List<AggregateCall> aggCalls) {
        super(cluster, traits, List.of(), input, groupSet, groupSets, aggCalls);
    }

    @Override
    public Aggregate copy(RelTraitSet traitSet, RelNode input, ImmutableBitSet groupSet,
                          List<ImmutableBitSet> groupSets, List<AggregateCall> aggCalls) {
        return new WeftAggregate(getCluster(), traitSet, input, groupSet, groupSets, aggCalls);
    }

    /** Why Weft cannot run this aggregate, or null when it can. */
    public static String unsupported(Aggregate agg) {
        if (agg.getGroupType() != Group.SIMPLE) {
            return "GROUPING SETS, ROLLUP and CUBE";
        }
        for (AggregateCall call : agg.getAggCallList()) {
            String why = unsupported(call);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    private static String unsupported(AggregateCall call) {
        if (call.filterArg >= 0) {
            return "FILTER (WHERE ...) on aggregate " + call;
        }
        if (call.getArgList().size() > 1) {
            return "aggregates of several arguments: " + call;
        }
        return switch (call.getAggregation().getKind()) {
            case COUNT -> call.isDistinct() && call.getArgList().isEmpty() ? "COUNT(DISTINCT *)" : null;
            case MIN, MAX -> null;
            case SUM, SUM0, AVG, STDDEV_SAMP -> call.isDistinct()
                    ? call.getAggregation().getName() + "(DISTINCT ...) (only COUNT, MIN and MAX take DISTINCT)" : null;
            case SINGLE_VALUE, ANY_VALUE, LITERAL_AGG -> null;
            default -> "the aggregate function " + call.getAggregation().getName();
        };
    }

    @Override
    public Built implement(Implementor implementor) {
        String why = unsupported(this);
        if (why != null) {
            throw SqlException.notSupported(why);
        }
        Map<Integer, String> doubles = new LinkedHashMap<>();
        Built in = withDoubles(implementor.visit(getInput()), doubles);
        List<String> keys = new ArrayList<>();
        for (int k : getGroupSet()) {
            keys.add(in.columns().get(k));
        }
        List<String> names = getRowType().getFieldNames();
        Set<String> taken = new HashSet<>(keys);
        List<Agg> aggs = new ArrayList<>();
        List<String> aggNames = new ArrayList<>();
        List<AggregateCall> computed = new ArrayList<>();
        List<String> columns = new ArrayList<>(keys);
        Map<String, Expr> constants = new LinkedHashMap<>();
        RexToExpr rex = new RexToExpr(List.of(), List.of(), implementor, getCluster().getRexBuilder());
        for (int i = 0; i < getAggCallList().size(); i++) {
            AggregateCall call = getAggCallList().get(i);
            String name = fresh(names.get(keys.size() + i), taken);
            taken.add(name);
            columns.add(name);
            if (call.getAggregation().getKind() == SqlKind.LITERAL_AGG) {
                // The same value for every group (sub-query rewrites mark matches with it).
                constants.put(name, rex.translate(call.rexList.getFirst()));
                continue;
            }
            aggNames.add(name);
            computed.add(call);
            aggs.add(agg(call, in, doubles).as(name));
        }
        Dataset out;
        if (keys.isEmpty()) {
            out = aggs.isEmpty() ? Values.dataset(List.of("$one"), List.of(getCluster().getTypeFactory()
                    .createSqlType(org.apache.calcite.sql.type.SqlTypeName.INTEGER)), List.of(List.of(1)))
                    : global(in.dataset(), aggs, aggNames, computed);
        } else {
            out = aggs.isEmpty()
                    ? in.dataset().groupBy(keys.toArray(String[]::new)).count().select(keys.toArray(String[]::new))
                    : in.dataset().groupBy(keys.toArray(String[]::new)).aggregate(aggs.toArray(Agg[]::new));
        }
        for (Map.Entry<String, Expr> c : constants.entrySet()) {
            out = out.withColumn(c.getKey(), c.getValue());
        }
        return new Built(out, columns, new LinkedHashSet<>(taken));
    }

    /**
     * The input with a FLOAT64 copy of each DECIMAL field that AVG or STDDEV reads ({@code doubles}: field to copy),
     * which those read instead: their SQL type is DOUBLE (as in DuckDB), so they are computed in doubles rather than
     * rounded to a decimal scale. Other aggregates of the field still read the decimal.
     */
    private Built withDoubles(Built in, Map<Integer, String> doubles) {
        List<RelDataType> types = Rels.fieldTypes(getInput());
        Set<String> present = new LinkedHashSet<>(in.present());
        Dataset ds = in.dataset();
        for (AggregateCall call : getAggCallList()) {
            if (approximate(call) && types.get(call.getArgList().getFirst()).getSqlTypeName() == SqlTypeName.DECIMAL
                    && !doubles.containsKey(call.getArgList().getFirst())) {
                int arg = call.getArgList().getFirst();
                String name = fresh("$double_" + in.columns().get(arg), present);
                present.add(name);
                ds = ds.withColumn(name, Expr.col(in.columns().get(arg)).cast(DataType.FLOAT64));
                doubles.put(arg, name);
            }
        }
        return doubles.isEmpty() ? in : new Built(ds, in.columns(), present);
    }

    private static boolean approximate(AggregateCall call) {
        SqlKind kind = call.getAggregation().getKind();
        return (kind == SqlKind.AVG || kind == SqlKind.STDDEV_SAMP) && call.getArgList().size() == 1;
    }

    private static String fresh(String preferred, Set<String> taken) {
        String name = preferred;
        for (int i = 0; taken.contains(name); i++) {
            name = preferred + "_" + i;
        }
        return name;
    }

    private static Agg agg(AggregateCall call, Built in, Map<Integer, String> doubles) {
        String column = call.getArgList().isEmpty() ? null : in.columns().get(call.getArgList().getFirst());
        if (approximate(call) && doubles.containsKey(call.getArgList().getFirst())) {
            column = doubles.get(call.getArgList().getFirst());
        }
        return switch (call.getAggregation().getKind()) {
            case COUNT -> column == null ? Agg.count() : call.isDistinct() ? Agg.countDistinct(column) : Agg.count(column);
            case SUM, SUM0 -> Agg.sum(column);
            case AVG -> Agg.mean(column);
            case MIN, SINGLE_VALUE, ANY_VALUE -> Agg.min(column);
            case MAX -> Agg.max(column);
            case STDDEV_SAMP -> Agg.std(column);
            default -> throw SqlException.notSupported("the aggregate function " + call.getAggregation().getName());
        };
    }

    /**
     * The aggregates over every row, one row even when there are none: the aggregate's row (if any) unioned with a
     * row of defaults, then folded: counts summed (the default is 0), every other value the max of itself and null.
     */
    private Dataset global(Dataset input, List<Agg> aggs, List<String> aggNames, List<AggregateCall> calls) {
        Dataset first = input.aggregate(aggs.toArray(Agg[]::new));
        List<RelDataType> types = new ArrayList<>();
        List<Object> defaults = new ArrayList<>();
        List<Agg> fold = new ArrayList<>();
        for (int i = 0; i < aggs.size(); i++) {
            AggregateCall call = calls.get(i);
            RelDataType type = call.getType();
            DataType weft = SqlTypes.weftType(type, aggNames.get(i));
            first = first.withColumn(aggNames.get(i), SqlTypes.cast(Expr.col(aggNames.get(i)), type, aggNames.get(i)));
            types.add(type);
            // Counts (and $SUM0, Calcite's count roll-up) are 0 over no rows; every other aggregate is null.
            boolean counts = call.getAggregation().getKind() == SqlKind.COUNT
                    || call.getAggregation().getKind() == SqlKind.SUM0;
            defaults.add(counts ? Values.zero(weft) : null);
            fold.add((counts ? Agg.sum(aggNames.get(i)) : Agg.max(aggNames.get(i))).as(aggNames.get(i)));
        }
        Dataset defaultRow = Values.dataset(aggNames, types, List.of(defaults));
        return first.union(defaultRow).aggregate(fold.toArray(Agg[]::new));
    }
}
