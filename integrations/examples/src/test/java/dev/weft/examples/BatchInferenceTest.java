package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.data.Datasets;
import dev.weft.testing.WeftTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch-inference job, in-process on a small dataset, writes exactly the scores a direct computation gives. */
class BatchInferenceTest {
    @Test
    @WeftTest(nodes = 1, cpusPerNode = 2)
    void scoresEveryFilteredRowLikeTheModelDoesDirectly(Weft weft, @TempDir Path dir) throws Exception {
        long rows = 30_000;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        Path scores = dir.resolve("scores");
        BatchInference.Report report = BatchInference.run(new BatchInference.Settings(rows, dir, scores, 1, 2, 4096), out);

        // The same model, trained again (XGBoost is deterministic with one thread), scoring the same rows directly.
        Booster booster = XGBoost.loadModel(Model.train(20_000, 40).bytes());
        long expectedRows = 0;
        long expectedPositives = 0;
        double expectedSum = 0;
        for (long id = 0; id < rows; id++) {
            if (Features.feature(id, 3) >= BatchInference.F3_BELOW) {
                continue;
            }
            float[] x = new float[Features.FEATURES];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) Features.feature(id, j);
            }
            double p = booster.inplace_predict(x, 1, x.length, Float.NaN)[0][0];
            expectedRows++;
            expectedPositives += p >= 0.5 ? 1 : 0;
            expectedSum += p;
        }
        booster.dispose();

        assertEquals(expectedRows, report.scoredRows(), "rows kept by the pushed-down filter");
        assertEquals(expectedPositives, report.positives());
        assertEquals(expectedSum / expectedRows, report.meanScore(), 1e-6);
        assertTrue(report.accuracy() > 0.8, "accuracy " + report.accuracy());
        assertEquals(expectedRows, Datasets.readParquet(scores.toString()).count(), "the written Parquet reads back");
        assertTrue(Files.isDirectory(dir.resolve("events-" + rows)));
        String printed = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("rows/s") && printed.contains("stats:"), printed);
    }
}
