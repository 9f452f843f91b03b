package dev.weft.sql;

import dev.weft.data.Datasets;
import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * TPC-H tables from {@code io.trino.tpch} written as Parquet by Weft, columns NOT NULL as the schema says. Money and
 * quantities are DECIMAL(15,2) as the specification says (the generator gives them as doubles of two decimals, so
 * rounding to the scale is exact); dates are DATE.
 */
final class TpchData {
    private static final int BATCH = 50_000;

    private TpchData() {
    }

    static void write(Path dir, double scaleFactor) {
        for (TpchTable<?> table : TpchTable.getTables()) {
            write(table, dir.resolve(table.getTableName()), scaleFactor);
        }
    }

    private static <E extends TpchEntity> void write(TpchTable<E> table, Path out, double scaleFactor) {
        List<Field> fields = new ArrayList<>();
        for (TpchColumn<E> c : table.getColumns()) {
            fields.add(new Field(c.getColumnName(), FieldType.notNullable(arrowType(c)), null));
        }
        Schema schema = new Schema(fields);
        List<VectorSchemaRoot> batches = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator()) {
            try {
                VectorSchemaRoot root = null;
                int row = 0;
                for (E entity : table.createGenerator(scaleFactor, 1, 1)) {
                    if (root == null) {
                        root = VectorSchemaRoot.create(schema, allocator);
                        root.allocateNew();
                        batches.add(root);
                        row = 0;
                    }
                    for (int i = 0; i < fields.size(); i++) {
                        set(root.getVector(i), row, table.getColumns().get(i), entity);
                    }
                    row++;
                    root.setRowCount(row);
                    if (row == BATCH) {
                        root = null;
                    }
                }
                Datasets.fromArrow(batches).writeParquet(out.toString());
            } finally {
                batches.forEach(VectorSchemaRoot::close);
            }
        }
    }

    private static ArrowType arrowType(TpchColumn<?> c) {
        return switch (c.getType().getBase()) {
            case INTEGER -> new ArrowType.Int(32, true);
            case IDENTIFIER -> new ArrowType.Int(64, true);
            case DATE -> new ArrowType.Date(DateUnit.DAY);
            case DOUBLE -> new ArrowType.Decimal(15, 2, 128);
            case VARCHAR -> ArrowType.Utf8.INSTANCE;
        };
    }

    private static <E extends TpchEntity> void set(FieldVector v, int row, TpchColumn<E> c, E e) {
        switch (v) {
            case IntVector i -> i.setSafe(row, c.getInteger(e));
            case BigIntVector l -> l.setSafe(row, c.getIdentifier(e));
            case DateDayVector d -> d.setSafe(row, c.getDate(e));
            case DecimalVector d -> d.setSafe(row, BigDecimal.valueOf(c.getDouble(e)).setScale(2, RoundingMode.HALF_UP));
            case VarCharVector s -> s.setSafe(row, c.getString(e).getBytes(StandardCharsets.UTF_8));
            default -> throw new IllegalStateException("unexpected vector " + v.getClass().getSimpleName());
        }
        v.setValueCount(row + 1);
    }
}
