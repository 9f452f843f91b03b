package dev.weft.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The numeric columns XGBoost reads, and how Arrow batches become its dense row-major {@code float} arrays:
 * floating point, integer and boolean columns; a null cell becomes NaN (XGBoost's "missing"). Stateless.
 */
final class Columns {
    private Columns() {
    }

    static boolean isNumeric(ArrowType type) {
        return type instanceof ArrowType.FloatingPoint || type instanceof ArrowType.Int || type instanceof ArrowType.Bool;
    }

    /**
     * The feature columns to use: {@code features} checked against {@code schema}, or, when empty, every column but
     * the label. Fails naming the column that is missing or not numeric, and the dataset it was looked for in.
     */
    static List<String> check(Schema schema, String dataset, String label, List<String> features) {
        List<String> names = schema.getFields().stream().map(Field::getName).toList();
        if (label != null) {
            requireNumeric(schema, names, dataset, label, "label column");
        }
        List<String> chosen = features.isEmpty()
                ? names.stream().filter(n -> !n.equals(label)).toList() : features;
        if (chosen.isEmpty()) {
            throw TrainingException.user("dataset '" + dataset + "' has no feature column: its only column is the label '"
                    + label + "'");
        }
        for (String f : chosen) {
            if (f.equals(label)) {
                throw TrainingException.user("column '" + f + "' is both the label and a feature column");
            }
            requireNumeric(schema, names, dataset, f, "feature column");
        }
        return List.copyOf(chosen);
    }

    private static void requireNumeric(Schema schema, List<String> names, String dataset, String column, String role) {
        if (!names.contains(column)) {
            throw TrainingException.user(role + " '" + column + "' is not in dataset '" + dataset + "' (columns: "
                    + names + ")");
        }
        ArrowType type = schema.findField(column).getType();
        if (!isNumeric(type)) {
            throw TrainingException.user(role + " '" + column + "' of dataset '" + dataset + "' is " + type
                    + ", not numeric: XGBoost reads floating point, integer and boolean columns; encode it as numbers"
                    + " first" + (role.startsWith("feature") ? " or leave it out of the feature columns" : ""));
        }
    }

    /** The batch's vectors for {@code columns}, checked to be numeric (a batch may differ from the planned schema). */
    static List<FieldVector> vectors(VectorSchemaRoot batch, List<String> columns) {
        List<FieldVector> out = new ArrayList<>(columns.size());
        for (String c : columns) {
            FieldVector v = batch.getVector(c);
            if (v == null) {
                throw TrainingException.user("column '" + c + "' is missing from a batch (batch columns: "
                        + batch.getSchema().getFields().stream().map(Field::getName).toList() + ")");
            }
            if (!isNumeric(v.getField().getType())) {
                throw TrainingException.user("column '" + c + "' is " + v.getField().getType() + " in a batch, not numeric");
            }
            out.add(v);
        }
        return out;
    }

    /** Writes column {@code v} into {@code dest[(offset + i) * stride + j]} for each of its rows {@code i}. */
    static void copy(FieldVector v, int rows, float[] dest, int offset, int stride, int j) {
        boolean nulls = v.getNullCount() > 0;
        if (v instanceof Float8Vector f) {
            for (int i = 0; i < rows; i++) {
                dest[(offset + i) * stride + j] = nulls && f.isNull(i) ? Float.NaN : (float) f.get(i);
            }
        } else if (v instanceof Float4Vector f) {
            for (int i = 0; i < rows; i++) {
                dest[(offset + i) * stride + j] = nulls && f.isNull(i) ? Float.NaN : f.get(i);
            }
        } else if (v instanceof FloatingPointVector f) {
            for (int i = 0; i < rows; i++) {
                dest[(offset + i) * stride + j] = v.isNull(i) ? Float.NaN : (float) f.getValueAsDouble(i);
            }
        } else if (v instanceof BaseIntVector f) {
            for (int i = 0; i < rows; i++) {
                dest[(offset + i) * stride + j] = v.isNull(i) ? Float.NaN : (float) f.getValueAsLong(i);
            }
        } else if (v instanceof BitVector f) {
            for (int i = 0; i < rows; i++) {
                dest[(offset + i) * stride + j] = f.isNull(i) ? Float.NaN : f.get(i);
            }
        } else {
            throw TrainingException.user("column '" + v.getName() + "' is " + v.getField().getType() + ", not numeric");
        }
    }

    /** The batch's {@code columns} as a dense row-major array of {@code rows * columns.size()} floats. */
    static float[] dense(VectorSchemaRoot batch, List<String> columns) {
        int rows = batch.getRowCount();
        int cols = columns.size();
        float[] out = new float[rows * cols];
        List<FieldVector> vs = vectors(batch, columns);
        for (int j = 0; j < cols; j++) {
            copy(vs.get(j), rows, out, 0, cols, j);
        }
        return out;
    }
}
