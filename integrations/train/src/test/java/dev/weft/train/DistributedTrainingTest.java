package dev.weft.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.data.CloseableIterator;
import dev.weft.data.Dataset;
import dev.weft.data.MapBatches;
import dev.weft.testing.WeftTest;
import dev.weft.train.examples.DemoData;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/** k = 1 and k = 2 workers on the same demo data reach the same accuracy; every row is trained on once. */
@WeftTest(nodes = 1, cpusPerNode = 4)
class DistributedTrainingTest {
    static final Map<String, Object> PARAMS = Map.of("objective", "binary:logistic", "max_depth", 6, "eta", 0.3,
            "eval_metric", "error", "verbosity", 0);

    static XGBoostTrainer trainer(Weft weft, int workers, Dataset train, Dataset valid, int rounds) {
        return XGBoostTrainer.builder(weft).params(PARAMS).numRounds(rounds).labelColumn(DemoData.LABEL)
                .featureColumns(DemoData.FEATURES).numWorkers(workers).dataset(train).evalDataset("valid", valid)
                .build();
    }

    /** The share of {@code scored} rows whose 0.5-thresholded prediction is the row's true label. */
    static double accuracy(Dataset scored) {
        long right = 0;
        long all = 0;
        try (CloseableIterator<VectorSchemaRoot> batches = scored.select("id", "prediction").iterBatches()) {
            while (batches.hasNext()) {
                VectorSchemaRoot b = batches.next();
                BigIntVector ids = (BigIntVector) b.getVector("id");
                Float4Vector p = (Float4Vector) b.getVector("prediction");
                for (int i = 0; i < b.getRowCount(); i++) {
                    right += (p.get(i) >= 0.5f) == (DemoData.label(ids.get(i)) == 1) ? 1 : 0;
                }
                all += b.getRowCount();
            }
        }
        return (double) right / all;
    }

    @Test
    void twoWorkersReachTheAccuracyOfOne(Weft weft) {
        Dataset train = DemoData.train(60_000).materialize();
        Dataset valid = DemoData.rows(DemoData.TEST_OFFSET / 2, 10_000).materialize();
        Dataset test = DemoData.test(20_000).materialize();
        TrainingResult one = trainer(weft, 1, train, valid, 30).fit();
        TrainingResult two = trainer(weft, 2, train, valid, 30).fit();

        assertEquals(List.of(60_000), one.rowsPerWorker());
        assertEquals(2, two.rowsPerWorker().size());
        assertEquals(60_000, two.rows(), "every row trained on exactly once");
        assertEquals(30, one.metrics().size());
        assertEquals(30, two.metrics().size());
        assertEquals(30, two.checkpoint().round());

        double accOne = accuracy(XGBoostPredictor.predict(test, one.checkpoint(), DemoData.FEATURES,
                MapBatches.actors(1, 2).batchSize(4096)));
        double accTwo = accuracy(XGBoostPredictor.predict(test, two.checkpoint(), DemoData.FEATURES,
                MapBatches.actors(1, 2).batchSize(4096)));
        System.out.printf("test accuracy k=1 %.4f, k=2 %.4f; valid error k=1 %.4f, k=2 %.4f%n", accOne, accTwo,
                one.lastMetrics().get("valid-error"), two.lastMetrics().get("valid-error"));
        assertTrue(accOne > 0.9, "k=1 learns the boundary: " + accOne);
        assertEquals(accOne, accTwo, 0.01, "k=2 reaches the accuracy of k=1");
        assertEquals(one.lastMetrics().get("valid-error"), two.lastMetrics().get("valid-error"), 0.01);
        double[] trainError = two.metric("train-error");
        assertTrue(trainError[29] < trainError[0], "training error falls over the rounds");
    }
}
