package dev.weft.sql.internal.planner;

import dev.weft.sql.internal.catalog.CatalogTable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/** The catalog's tables as one Calcite schema (a snapshot taken when a statement starts planning). */
final class CatalogSchema extends AbstractSchema {
    private final Map<String, Table> tables = new LinkedHashMap<>();

    CatalogSchema(Map<String, CatalogTable> catalog) {
        catalog.forEach((name, table) -> tables.put(name, table.asCalciteTable()));
    }

    @Override
    protected Map<String, Table> getTableMap() {
        return tables;
    }
}
