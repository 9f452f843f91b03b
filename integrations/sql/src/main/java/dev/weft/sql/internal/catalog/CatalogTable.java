package dev.weft.sql.internal.catalog;

import dev.weft.data.Dataset;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelDistributions;
import org.apache.calcite.rel.RelReferentialConstraint;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * A table of the catalog: a dataset (re-made for each query by {@code source}, so each query plans its own reads),
 * its schema and what is known of its size. Immutable.
 *
 * @param name        the table's name in SQL
 * @param description what it reads, for {@code EXPLAIN} and errors (paths and format, or "dataset")
 * @param source      the dataset the table reads
 * @param schema      its columns
 * @param rowCount    its exact row count when known without reading data (Parquet footers)
 * @param sizeBytes   its estimated in-memory size when known
 */
public record CatalogTable(String name, String description, Supplier<Dataset> source, Schema schema,
                           OptionalLong rowCount, OptionalLong sizeBytes) {

    /** The table as Calcite sees it: its row type and its statistics. */
    public AbstractTable asCalciteTable() {
        CatalogTable self = this;
        return new WeftCalciteTable(self);
    }

    /** The Calcite side of a catalog table; the Weft convention reads it through {@link #table()}. */
    public static final class WeftCalciteTable extends AbstractTable {
        private final CatalogTable table;

        WeftCalciteTable(CatalogTable table) {
            this.table = table;
        }

        public CatalogTable table() {
            return table;
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory typeFactory) {
            return SqlTypes.rowType(table.schema(), typeFactory);
        }

        @Override
        public Statistic getStatistic() {
            return new Statistic() {
                @Override
                public Double getRowCount() {
                    return table.rowCount().isPresent() ? (double) table.rowCount().getAsLong() : null;
                }

                @Override
                public boolean isKey(ImmutableBitSet columns) {
                    return false;
                }

                @Override
                public List<ImmutableBitSet> getKeys() {
                    return List.of();
                }

                @Override
                public List<RelReferentialConstraint> getReferentialConstraints() {
                    return List.of();
                }

                @Override
                public List<RelCollation> getCollations() {
                    return List.of();
                }

                @Override
                public org.apache.calcite.rel.RelDistribution getDistribution() {
                    return RelDistributions.ANY;
                }
            };
        }
    }
}
