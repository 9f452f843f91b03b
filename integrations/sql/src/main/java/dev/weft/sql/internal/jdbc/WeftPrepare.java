package dev.weft.sql.internal.jdbc;

import dev.weft.sql.internal.planner.SqlPlanner;
import java.lang.reflect.Type;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.CalcitePrepareImpl;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.tools.Program;

/**
 * Calcite's JDBC statement preparation with Weft's planning: Calcite parses, validates and converts as for any
 * connection, then Weft's program rewrites the plan into the Weft convention under one converter that runs the
 * dataset and hands its rows to the JDBC result set.
 */
public final class WeftPrepare extends CalcitePrepareImpl {
    @Override
    protected CalcitePreparingStmt getPreparingStmt(Context context, Type elementType, CalciteCatalogReader catalogReader,
                                                    RelOptPlanner planner) {
        JavaTypeFactory typeFactory = context.getTypeFactory();
        EnumerableRel.Prefer prefer = elementType == Object[].class ? EnumerableRel.Prefer.ARRAY
                : EnumerableRel.Prefer.CUSTOM;
        RelOptCluster cluster = createCluster(planner, new RexBuilder(typeFactory));
        return new CalcitePreparingStmt(this, context, catalogReader, typeFactory, context.getRootSchema(), prefer,
                cluster, EnumerableConvention.INSTANCE, createConvertletTable()) {
            @Override
            protected Program getProgram() {
                return (p, rel, traits, materializations, lattices) -> {
                    var weft = SqlPlanner.toWeft(rel);
                    return new WeftToEnumerableConverter(weft.getCluster(),
                            weft.getTraitSet().replace(EnumerableConvention.INSTANCE), weft);
                };
            }
        };
    }
}
