package dev.weft.examples;

import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Trains the demo's model at start-up: gradient-boosted trees (XGBoost) on a sample of the synthetic rows. */
final class Model {
    private Model() {
    }

    /** A binary classifier of {@link Features#label} trained on {@code samples} rows drawn past the data's ids. */
    static Trained train(int samples, int rounds) throws XGBoostError {
        int cols = Features.FEATURES;
        float[] data = new float[samples * cols];
        float[] labels = new float[samples];
        long first = 1L << 40; // rows the scoring job never reads, so the check below is on unseen data
        for (int i = 0; i < samples; i++) {
            long id = first + i;
            for (int j = 0; j < cols; j++) {
                data[i * cols + j] = (float) Features.feature(id, j);
            }
            labels[i] = Features.label(id);
        }
        DMatrix train = new DMatrix(data, samples, cols, Float.NaN);
        try {
            train.setLabel(labels);
            Map<String, Object> params = new HashMap<>();
            params.put("objective", "binary:logistic");
            params.put("max_depth", 6);
            params.put("eta", 0.3);
            params.put("nthread", 1);
            params.put("verbosity", 0);
            Booster booster = XGBoost.train(train, params, rounds, new HashMap<>(), null, null);
            try {
                float[][] p = booster.inplace_predict(data, samples, cols, Float.NaN);
                int correct = 0;
                for (int i = 0; i < samples; i++) {
                    correct += (p[i][0] >= 0.5f) == (labels[i] == 1f) ? 1 : 0;
                }
                return new Trained(booster.toByteArray("ubj"), (double) correct / samples);
            } finally {
                booster.dispose();
            }
        } finally {
            train.dispose();
        }
    }

    /** The model serialized (UBJSON) and its accuracy on its training sample. */
    record Trained(byte[] bytes, double trainAccuracy) {
    }
}
