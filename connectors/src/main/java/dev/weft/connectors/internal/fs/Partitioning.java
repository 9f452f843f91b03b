package dev.weft.connectors.internal.fs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * The hive partition columns of a read: keys in directory order, each typed int64 if every value is an integer,
 * float64 if every value is a number, otherwise string. {@code __HIVE_DEFAULT_PARTITION__} is null.
 */
public record Partitioning(List<String> keys, List<Kind> kinds) implements Serializable {
    public static final String HIVE_NULL = "__HIVE_DEFAULT_PARTITION__";

    /** The type a partition column is read as. */
    public enum Kind { INT64, FLOAT64, STRING }

    public static final Partitioning NONE = new Partitioning(List.of(), List.of());

    public Partitioning {
        keys = List.copyOf(keys);
        kinds = List.copyOf(kinds);
    }

    /** Infers the partitioning of {@code files}; all files must have the same partition keys in the same order. */
    public static Partitioning infer(List<InputFile> files) {
        if (files.isEmpty()) {
            return NONE;
        }
        InputFile first = files.get(0);
        for (InputFile f : files) {
            if (!f.partitionKeys().equals(first.partitionKeys())) {
                throw new IllegalArgumentException("inconsistent hive partition directories: " + first.path()
                        + " has partition keys " + first.partitionKeys() + " but " + f.path() + " has "
                        + f.partitionKeys());
            }
        }
        List<Kind> kinds = new ArrayList<>();
        for (int k = 0; k < first.partitionKeys().size(); k++) {
            boolean allLong = true;
            boolean allDouble = true;
            for (InputFile f : files) {
                String v = f.partitionValues().get(k);
                if (v == null || v.equals(HIVE_NULL)) {
                    continue;
                }
                allLong &= parsesAsLong(v);
                allDouble &= parsesAsDouble(v);
            }
            kinds.add(allLong ? Kind.INT64 : allDouble ? Kind.FLOAT64 : Kind.STRING);
        }
        return new Partitioning(first.partitionKeys(), kinds);
    }

    private static boolean parsesAsLong(String v) {
        try {
            Long.parseLong(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean parsesAsDouble(String v) {
        try {
            Double.parseDouble(v);
            return !v.isBlank();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The Arrow fields of the partition columns (all nullable). */
    public List<Field> fields() {
        List<Field> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            ArrowType t = switch (kinds.get(i)) {
                case INT64 -> new ArrowType.Int(64, true);
                case FLOAT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
                case STRING -> ArrowType.Utf8.INSTANCE;
            };
            out.add(new Field(keys.get(i), FieldType.nullable(t), null));
        }
        return out;
    }

    /** The typed value (Long, Double, String or null) of partition column {@code i} for {@code file}. */
    public Object value(InputFile file, int i) {
        String v = file.partitionValues().get(i);
        if (v == null || v.equals(HIVE_NULL)) {
            return null;
        }
        return switch (kinds.get(i)) {
            case INT64 -> Long.parseLong(v);
            case FLOAT64 -> Double.parseDouble(v);
            case STRING -> v;
        };
    }

    /** Fills {@code rows} rows of an allocated partition column vector with one constant {@code value}. */
    public static void fill(FieldVector v, Object value, int rows) {
        v.setInitialCapacity(rows);
        v.allocateNew();
        if (value != null) {
            switch (v) {
                case BigIntVector b -> { for (int i = 0; i < rows; i++) b.set(i, (Long) value); }
                case Float8Vector d -> { for (int i = 0; i < rows; i++) d.set(i, (Double) value); }
                case VarCharVector s -> {
                    byte[] bytes = ((String) value).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    for (int i = 0; i < rows; i++) s.setSafe(i, bytes);
                }
                default -> throw new IllegalStateException("partition column of type " + v.getField().getType());
            }
        }
        v.setValueCount(rows);
    }
}
