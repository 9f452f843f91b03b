package dev.weft.sql.internal.planner;

import dev.weft.sql.internal.catalog.CatalogTable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/** A catalog's tables as one Calcite schema, as they are each time Calcite asks (a JDBC connection sees new tables). */
public final class CatalogSchema extends AbstractSchema {
    private final Supplier<Map<String, CatalogTable>> catalog;

    public CatalogSchema(Supplier<Map<String, CatalogTable>> catalog) {
        this.catalog = catalog;
    }

    @Override
    protected Map<String, Table> getTableMap() {
        Map<String, Table> tables = new LinkedHashMap<>();
        catalog.get().forEach((name, table) -> tables.put(name, table.asCalciteTable()));
        return tables;
    }
}
