package dev.weft.examples;

import dev.weft.data.BatchFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The stateful UDF of the batch-inference job: loads the XGBoost model once (per actor) and scores whole
 * Arrow batches — the feature columns are packed into one dense row-major array and predicted in place,
 * no per-row objects. Output: the input's columns plus {@code score}.
 */
final class Scorer implements BatchFunction {
    private final Booster booster;

    Scorer(byte[] model) {
        try {
            this.booster = XGBoost.loadModel(model);
        } catch (XGBoostError e) {
            throw new IllegalStateException("cannot load the XGBoost model (" + model.length + " bytes)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public VectorSchemaRoot apply(VectorSchemaRoot batch) throws XGBoostError {
        int rows = batch.getRowCount();
        int cols = Features.FEATURES;
        float[] dense = new float[rows * cols];
        for (int j = 0; j < cols; j++) {
            Float8Vector f = (Float8Vector) batch.getVector(Features.FEATURE_COLUMNS.get(j));
            for (int i = 0; i < rows; i++) {
                dense[i * cols + j] = (float) f.get(i);
            }
        }
        float[][] predictions = rows == 0 ? new float[0][] : booster.inplace_predict(dense, rows, cols, Float.NaN);
        BufferAllocator allocator = BatchFunction.allocator(batch);
        Float8Vector score = new Float8Vector("score", allocator);
        score.allocateNew(rows);
        for (int i = 0; i < rows; i++) {
            score.set(i, predictions[i][0]);
        }
        score.setValueCount(rows);
        // The output shares the input's columns (no copy) and adds the score.
        List<FieldVector> out = new ArrayList<>(batch.getFieldVectors());
        out.add(score);
        return new VectorSchemaRoot(out);
    }
}
