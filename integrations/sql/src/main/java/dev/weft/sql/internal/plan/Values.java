package dev.weft.sql.internal.plan;

import dev.weft.data.DataType;
import dev.weft.data.Dataset;
import dev.weft.data.Datasets;
import dev.weft.sql.internal.catalog.SqlTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.calcite.rel.type.RelDataType;

/** Datasets of rows Weft makes itself ({@code VALUES}, default rows), typed from SQL types. */
final class Values {
    private Values() {
    }

    static Object zero(DataType type) {
        return switch (type) {
            case INT32 -> 0;
            case INT64 -> 0L;
            case FLOAT32 -> 0f;
            case FLOAT64 -> 0.0;
            case BOOLEAN -> false;
            case STRING -> "";
            case DATE -> java.time.LocalDate.EPOCH;
            case TIMESTAMP -> java.time.Instant.EPOCH;
            case DECIMAL -> java.math.BigDecimal.ZERO;
        };
    }

    /** A dataset of {@code rows} (values already of each column's Weft type, or null). */
    static Dataset dataset(List<String> names, List<RelDataType> types, List<List<Object>> rows) {
        Schema schema = SqlTypes.arrowSchema(names, types);
        try (BufferAllocator allocator = new RootAllocator();
             VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            root.allocateNew();
            for (int c = 0; c < names.size(); c++) {
                FieldVector v = root.getVector(c);
                for (int r = 0; r < rows.size(); r++) {
                    set(v, r, rows.get(r).get(c));
                }
                v.setValueCount(rows.size());
            }
            root.setRowCount(rows.size());
            return Datasets.fromArrow(root);
        }
    }

    private static long micros(java.time.Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    private static void set(FieldVector v, int row, Object value) {
        if (value == null) {
            v.setNull(row);
            return;
        }
        switch (v) {
            case BitVector b -> b.setSafe(row, (Boolean) value ? 1 : 0);
            case IntVector i -> i.setSafe(row, ((Number) value).intValue());
            case BigIntVector l -> l.setSafe(row, ((Number) value).longValue());
            case Float4Vector f -> f.setSafe(row, ((Number) value).floatValue());
            case Float8Vector d -> d.setSafe(row, ((Number) value).doubleValue());
            case VarCharVector s -> s.setSafe(row, value.toString().getBytes(StandardCharsets.UTF_8));
            case DecimalVector d -> d.setSafe(row, ((java.math.BigDecimal) value).setScale(d.getScale(),
                    java.math.RoundingMode.HALF_UP));
            case DateDayVector d -> d.setSafe(row, Math.toIntExact(((java.time.LocalDate) value).toEpochDay()));
            case TimeStampMicroTZVector t -> t.setSafe(row, micros((java.time.Instant) value));
            default -> throw new IllegalStateException("unreachable: a " + v.getClass().getSimpleName());
        }
    }
}
