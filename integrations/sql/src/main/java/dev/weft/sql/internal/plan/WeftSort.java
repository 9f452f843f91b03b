package dev.weft.sql.internal.plan;

import dev.weft.data.DataType;
import dev.weft.data.Dataset;
import dev.weft.data.Expr;
import dev.weft.sql.SqlException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

/**
 * {@code ORDER BY}, {@code LIMIT} and {@code OFFSET}: Weft's global sort (sampled range partitioning), then a limit
 * (which streams blocks in order). Weft sorts nulls first ascending and last descending; where SQL asks otherwise a
 * helper key {@code IS NULL} sorts first. {@code OFFSET} runs the rows up to offset + limit when the query runs
 * and drops the first ones.
 */
public final class WeftSort extends Sort implements WeftRel {
    public WeftSort(RelOptCluster cluster, RelTraitSet traits, RelNode input, RelCollation collation, RexNode offset,
                    RexNode fetch) {
        super(cluster, traits, List.of(), input, collation, offset, fetch);
    }

    @Override
    public Sort copy(RelTraitSet traitSet, RelNode newInput, RelCollation newCollation, RexNode offset, RexNode fetch) {
        return new WeftSort(getCluster(), traitSet, newInput, newCollation, offset, fetch);
    }

    @Override
    public Built implement(Implementor implementor) {
        Built in = implementor.visit(getInput());
        Dataset ds = in.dataset();
        Set<String> present = new HashSet<>(in.present());
        List<RelFieldCollation> keys = getCollation().getFieldCollations();
        if (!keys.isEmpty()) {
            List<String> sortKeys = new ArrayList<>();
            List<Boolean> descending = new ArrayList<>();
            for (RelFieldCollation key : keys) {
                String column = in.columns().get(key.getFieldIndex());
                boolean desc = key.getDirection().isDescending();
                boolean nullsFirst = key.nullDirection == RelFieldCollation.NullDirection.UNSPECIFIED
                        ? key.getDirection().defaultNullDirection() == RelFieldCollation.NullDirection.FIRST
                        : key.nullDirection == RelFieldCollation.NullDirection.FIRST;
                boolean nullable = getInput().getRowType().getFieldList().get(key.getFieldIndex()).getType().isNullable();
                if (nullable && nullsFirst == desc) {
                    // Weft puts nulls first ascending, last descending: a helper key orders the nulls as asked.
                    String helper = in.fresh("$nulls_" + column, present);
                    present.add(helper);
                    ds = ds.withColumn(helper, Expr.col(column).isNull().cast(DataType.INT32));
                    sortKeys.add(helper);
                    descending.add(nullsFirst);
                }
                sortKeys.add(column);
                descending.add(desc);
            }
            boolean[] desc = new boolean[descending.size()];
            for (int i = 0; i < desc.length; i++) {
                desc[i] = descending.get(i);
            }
            ds = ds.sort(sortKeys.toArray(String[]::new), desc);
        }
        long skip = offset == null ? 0 : value(offset, implementor, "OFFSET");
        if (fetch != null) {
            ds = ds.limit(skip + value(fetch, implementor, "LIMIT"));
        }
        if (skip > 0) {
            ds = Offsets.skip(ds, skip);
        }
        return new Built(ds, in.columns(), present);
    }

    private static long value(RexNode node, Implementor implementor, String what) {
        Object v = switch (node) {
            case RexLiteral l -> l.getValueAs(Long.class);
            case RexDynamicParam p -> implementor.parameter(p.getIndex());
            default -> throw SqlException.notSupported(what + " that is not a constant: " + node);
        };
        if (!(v instanceof Number n) || n.longValue() < 0) {
            throw new SqlException(what + " must be a number >= 0, got " + v);
        }
        return n.longValue();
    }
}
