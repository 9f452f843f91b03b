package dev.weft.train;

import dev.weft.data.CloseableIterator;
import dev.weft.data.DataIterator;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One worker's part of a dataset, as XGBoost takes it: the features as a dense row-major {@code float} array and
 * the labels, accumulated batch by batch from the worker's {@link DataIterator} (the arrays grow by doubling).
 */
record Shard(float[] features, float[] labels, int rows, int columns, long readNanos) {

    /** Reads the whole split; fails naming the column and the dataset when a value cannot be used. */
    static Shard read(DataIterator split, String dataset, String label, List<String> featureColumns) {
        long t0 = System.nanoTime();
        int cols = featureColumns.size();
        float[] x = new float[cols * 1024];
        float[] y = new float[1024];
        int rows = 0;
        try (CloseableIterator<VectorSchemaRoot> batches = split.iterBatches()) {
            while (batches.hasNext()) {
                VectorSchemaRoot batch = batches.next();
                int n = batch.getRowCount();
                if ((long) rows + n > Integer.MAX_VALUE / Math.max(1, cols)) {
                    throw TrainingException.user("a worker's shard of dataset '" + dataset + "' passes "
                            + (Integer.MAX_VALUE / cols) + " rows of " + cols + " features; use more workers");
                }
                if (rows + n > y.length) {
                    int capacity = Math.max(rows + n, Math.min(Integer.MAX_VALUE / Math.max(1, cols), y.length * 2));
                    y = Arrays.copyOf(y, capacity);
                    x = Arrays.copyOf(x, capacity * cols);
                }
                List<FieldVector> fv = Columns.vectors(batch, featureColumns);
                for (int j = 0; j < cols; j++) {
                    Columns.copy(fv.get(j), n, x, rows, cols, j);
                }
                FieldVector lv = Columns.vectors(batch, List.of(label)).getFirst();
                Columns.copy(lv, n, y, rows, 1, 0);
                for (int i = rows; i < rows + n; i++) {
                    if (Float.isNaN(y[i])) {
                        throw TrainingException.user("label column '" + label + "' of dataset '" + dataset
                                + "' has a null or NaN value: every training row needs a label");
                    }
                }
                rows += n;
            }
        }
        return new Shard(x, y, rows, cols, System.nanoTime() - t0);
    }
}
