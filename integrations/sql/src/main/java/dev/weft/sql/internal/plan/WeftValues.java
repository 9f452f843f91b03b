package dev.weft.sql.internal.plan;

import dev.weft.data.DataType;
import dev.weft.sql.internal.catalog.SqlTypes;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexLiteral;
import com.google.common.collect.ImmutableList;

/** {@code VALUES} and {@code SELECT} without {@code FROM}: a small in-memory dataset. */
public final class WeftValues extends Values implements WeftRel {
    public WeftValues(RelOptCluster cluster, RelDataType rowType, ImmutableList<ImmutableList<RexLiteral>> tuples,
                      RelTraitSet traits) {
        super(cluster, List.of(), rowType, tuples, traits);
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new WeftValues(getCluster(), getRowType(), getTuples(), traitSet);
    }

    @Override
    public Built implement(Implementor implementor) {
        List<RelDataType> types = Rels.fieldTypes(this);
        List<List<Object>> rows = new ArrayList<>();
        for (List<RexLiteral> tuple : getTuples()) {
            List<Object> row = new ArrayList<>();
            for (int c = 0; c < tuple.size(); c++) {
                row.add(value(tuple.get(c), SqlTypes.weftType(types.get(c), getRowType().getFieldNames().get(c))));
            }
            rows.add(row);
        }
        return Built.of(dev.weft.sql.internal.plan.Values.dataset(getRowType().getFieldNames(), types, rows),
                getRowType().getFieldNames());
    }

    private static Object value(RexLiteral literal, DataType type) {
        if (literal.isNull()) {
            return null;
        }
        return switch (type) {
            case BOOLEAN -> literal.getValueAs(Boolean.class);
            case INT32 -> literal.getValueAs(java.math.BigDecimal.class).intValue();
            case INT64 -> literal.getValueAs(java.math.BigDecimal.class).longValue();
            case FLOAT32 -> literal.getValueAs(java.math.BigDecimal.class).floatValue();
            case FLOAT64 -> literal.getValueAs(java.math.BigDecimal.class).doubleValue();
            case STRING -> literal.getValueAs(String.class);
            case DATE -> java.time.LocalDate.ofEpochDay(literal.getValueAs(Integer.class));
            case TIMESTAMP -> java.time.Instant.ofEpochMilli(literal.getValueAs(Long.class));
            case DECIMAL -> literal.getValueAs(java.math.BigDecimal.class);
        };
    }
}
