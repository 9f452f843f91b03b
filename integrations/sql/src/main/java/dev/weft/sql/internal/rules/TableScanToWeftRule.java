package dev.weft.sql.internal.rules;

import dev.weft.sql.internal.plan.*;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.logical.LogicalTableScan;

/** Converts a {@link LogicalTableScan} of a catalog table into a {@link WeftTableScan}. */
public final class TableScanToWeftRule extends ConverterRule {
    public static final Config DEFAULT = Config.INSTANCE
            .withConversion(LogicalTableScan.class, Convention.NONE, WeftRel.CONVENTION, "TableScanToWeftRule")
            .withRuleFactory(TableScanToWeftRule::new);

    private TableScanToWeftRule(Config config) {
        super(config);
    }

    @Override
    public RelNode convert(RelNode rel) {
        LogicalTableScan r = (LogicalTableScan) rel;
        var table = r.getTable().unwrap(dev.weft.sql.internal.catalog.CatalogTable.WeftCalciteTable.class);
        if (table == null) {
            return null;
        }
        return new WeftTableScan(r.getCluster(), r.getTraitSet().replace(WeftRel.CONVENTION), r.getTable(), table.table());
    }
}
