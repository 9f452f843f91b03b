package dev.weft.sql.internal.plan;

import dev.weft.sql.internal.catalog.CatalogTable;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;

/** Reads a catalog table: the table's dataset, whose reads later take the filters and columns above them. */
public final class WeftTableScan extends TableScan implements WeftRel {
    private final CatalogTable table;

    public WeftTableScan(RelOptCluster cluster, RelTraitSet traits, RelOptTable relTable, CatalogTable table) {
        super(cluster, traits, List.of(), relTable);
        this.table = table;
    }

    public CatalogTable catalogTable() {
        return table;
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new WeftTableScan(getCluster(), traitSet, getTable(), table);
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
        return super.explainTerms(pw).item("source", table.description());
    }

    @Override
    public Built implement(Implementor implementor) {
        return Built.of(table.source().get(), getRowType().getFieldNames());
    }
}
