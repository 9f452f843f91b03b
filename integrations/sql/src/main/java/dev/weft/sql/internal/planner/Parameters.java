package dev.weft.sql.internal.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;

/** The {@code ?} parameters of a plan and the types the validator gave them. */
public final class Parameters {
    private Parameters() {
    }

    public static List<RelDataType> of(RelNode rel) {
        TreeMap<Integer, RelDataType> found = new TreeMap<>();
        collect(rel, found);
        List<RelDataType> out = new ArrayList<>();
        for (int i = 0; !found.isEmpty() && i <= found.lastKey(); i++) {
            out.add(found.get(i));
        }
        return out;
    }

    private static void collect(RelNode rel, TreeMap<Integer, RelDataType> found) {
        rel.accept(new RexShuttle() {
            @Override
            public RexNode visitDynamicParam(RexDynamicParam param) {
                found.put(param.getIndex(), param.getType());
                return param;
            }

            @Override
            public RexNode visitSubQuery(org.apache.calcite.rex.RexSubQuery subQuery) {
                collect(subQuery.rel, found);
                return super.visitSubQuery(subQuery);
            }
        });
        for (RelNode input : rel.getInputs()) {
            collect(input, found);
        }
    }
}
