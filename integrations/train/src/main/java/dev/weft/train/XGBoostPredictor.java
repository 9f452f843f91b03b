package dev.weft.train;

import dev.weft.data.BatchFunction;
import dev.weft.data.Dataset;
import dev.weft.data.MapBatches;
import java.util.ArrayList;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Scores Arrow batches with a trained model, for {@code mapBatches} on an actor pool: the model is loaded once per
 * actor, each batch's feature columns are packed into one dense row-major array and predicted in place. Output: the
 * input's columns plus {@code prediction} (a {@code float}; {@code prediction_0}, {@code prediction_1}, ... when
 * the model gives several values per row, as {@code multi:softprob} does). One instance is called by one thread at
 * a time (as {@link BatchFunction} promises); it is not shared.
 */
public final class XGBoostPredictor implements BatchFunction {
    private final Booster booster;
    private final List<String> featureColumns;
    private int width = 1; // values per row, as the last non-empty batch showed: an empty batch keeps the schema

    /** Loads {@code checkpoint}'s model; {@code featureColumns} in the order the model was trained on. */
    public XGBoostPredictor(Checkpoint checkpoint, List<String> featureColumns) {
        if (featureColumns.isEmpty()) {
            throw new IllegalArgumentException("featureColumns must not be empty");
        }
        this.featureColumns = List.copyOf(featureColumns);
        this.booster = checkpoint.booster();
        try {
            long expected = booster.getNumFeature();
            if (expected != featureColumns.size()) {
                throw new IllegalArgumentException("the model was trained on " + expected + " features, but "
                        + featureColumns.size() + " feature columns were given: " + featureColumns);
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("cannot read the model's feature count: " + e.getMessage(), e);
        }
    }

    /**
     * {@code data} with a {@code prediction} column, scored by {@code checkpoint}'s model on an actor pool as
     * {@code options} say (use {@link MapBatches#actors(int, int)}: the model then loads once per actor).
     */
    public static Dataset predict(Dataset data, Checkpoint checkpoint, List<String> featureColumns, MapBatches options) {
        Columns.check(data.schema(), "data", null, featureColumns);
        List<String> features = List.copyOf(featureColumns);
        return data.mapBatches(() -> new XGBoostPredictor(checkpoint, features), options);
    }

    /** The predictions of a dense row-major feature array, as the model gives them (one row per input row). */
    float[][] predict(float[] dense, int rows) throws XGBoostError {
        return rows == 0 ? new float[0][] : booster.inplace_predict(dense, rows, featureColumns.size(), Float.NaN);
    }

    @Override
    public VectorSchemaRoot apply(VectorSchemaRoot batch) throws XGBoostError {
        int rows = batch.getRowCount();
        float[][] p = predict(Columns.dense(batch, featureColumns), rows);
        if (rows > 0) {
            width = p[0].length;
        }
        BufferAllocator allocator = BatchFunction.allocator(batch);
        List<FieldVector> out = new ArrayList<>(batch.getFieldVectors());
        for (int j = 0; j < width; j++) {
            Float4Vector v = new Float4Vector(width == 1 ? "prediction" : "prediction_" + j, allocator);
            v.allocateNew(rows);
            for (int i = 0; i < rows; i++) {
                v.set(i, p[i][j]);
            }
            v.setValueCount(rows);
            out.add(v);
        }
        // The output shares the input's columns (no copy) and adds the predictions.
        return new VectorSchemaRoot(out);
    }
}
