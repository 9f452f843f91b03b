package dev.weft.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.data.CloseableIterator;
import dev.weft.data.Dataset;
import dev.weft.data.MapBatches;
import dev.weft.testing.WeftTest;
import dev.weft.train.examples.DemoData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints go to disk and come back as the same model; scoring on an actor pool equals XGBoost's own predict. */
@WeftTest(nodes = 2, cpusPerNode = 2)
class CheckpointAndScoringTest {

    static XGBoostTrainer.Builder builder(Weft weft, Dataset train, int rounds) {
        return XGBoostTrainer.builder(weft).params(DistributedTrainingTest.PARAMS).numRounds(rounds)
                .labelColumn(DemoData.LABEL).featureColumns(DemoData.FEATURES).numWorkers(2).dataset(train);
    }

    /** Each test row's id and prediction, as the actor pool scored them. */
    static Map<Long, Float> scoreOnActorPool(Dataset test, Checkpoint checkpoint) {
        Map<Long, Float> out = new HashMap<>();
        Dataset scored = XGBoostPredictor.predict(test, checkpoint, DemoData.FEATURES,
                MapBatches.actors(2, 2).batchSize(1000));
        try (CloseableIterator<VectorSchemaRoot> batches = scored.select("id", "prediction").iterBatches()) {
            while (batches.hasNext()) {
                VectorSchemaRoot b = batches.next();
                BigIntVector ids = (BigIntVector) b.getVector("id");
                Float4Vector p = (Float4Vector) b.getVector("prediction");
                for (int i = 0; i < b.getRowCount(); i++) {
                    out.put(ids.get(i), p.get(i));
                }
            }
        }
        return out;
    }

    /** XGBoost4J's own predict on rows {@code [TEST_OFFSET, TEST_OFFSET + n)}, straight from the booster. */
    static float[] predictDirectly(Booster booster, int n) throws Exception {
        int cols = DemoData.FEATURES.size();
        float[] x = new float[n * cols];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < cols; j++) {
                x[i * cols + j] = (float) DemoData.feature(DemoData.TEST_OFFSET + i, j);
            }
        }
        float[][] p = booster.inplace_predict(x, n, cols, Float.NaN);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = p[i][0];
        }
        return out;
    }

    @Test
    void aSavedCheckpointLoadsAndScoresLikeTheModelInMemory(Weft weft, @TempDir Path dir) throws Exception {
        int n = 5_000;
        TrainingResult r = builder(weft, DemoData.train(20_000), 12).checkpointEvery(5).checkpointDir(dir).build().fit();
        assertEquals(12, r.checkpoint().round());
        List<String> files;
        try (var s = Files.list(dir)) {
            files = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("checkpoint-000005.ubj", "checkpoint-000010.ubj", "checkpoint-000012.ubj"), files);

        Checkpoint loaded = Checkpoint.latest(dir).orElseThrow();
        assertEquals(r.checkpoint(), loaded, "the file holds exactly the final model");
        assertEquals(5, Checkpoint.load(dir.resolve("checkpoint-000005.ubj")).round());

        Booster inMemory = r.checkpoint().booster();
        Booster fromFile = loaded.booster();
        try {
            float[] expected = predictDirectly(inMemory, n);
            assertArrayEquals(expected, predictDirectly(fromFile, n), 0f);
            Map<Long, Float> pool = scoreOnActorPool(DemoData.test(n), loaded);
            assertEquals(n, pool.size());
            for (int i = 0; i < n; i++) {
                assertEquals(expected[i], pool.get(DemoData.TEST_OFFSET + i), 0f, "row " + i);
            }
        } finally {
            inMemory.dispose();
            fromFile.dispose();
        }
    }

    /** The first {@code rounds} trees' predictions (an iteration range), or all trees' with {@code rounds} 0. */
    static float[] predictDirectly(Booster booster, int n, int rounds) throws Exception {
        int cols = DemoData.FEATURES.size();
        float[] x = new float[n * cols];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < cols; j++) {
                x[i * cols + j] = (float) DemoData.feature(DemoData.TEST_OFFSET + i, j);
            }
        }
        float[][] p = booster.inplace_predict(x, n, cols, Float.NaN, new int[] {0, rounds});
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = p[i][0];
        }
        return out;
    }

    @Test
    void trainingResumedFromACheckpointContinuesItsRounds(Weft weft, @TempDir Path dir) throws Exception {
        // One worker reading one block: the same rows in the same order each time (XGBoost's quantile sketch depends
        // on row order), so 8 rounds, a checkpoint, then 8 more are exactly 16 rounds.
        Dataset oneBlock = DemoData.train(20_000).repartition(1).materialize();
        TrainingResult straight = builder(weft, oneBlock, 16).numWorkers(1).build().fit();
        builder(weft, oneBlock, 8).numWorkers(1).checkpointDir(dir.resolve("one")).build().fit();
        Checkpoint half = Checkpoint.latest(dir.resolve("one")).orElseThrow();
        assertEquals(8, half.round());
        TrainingResult resumed = builder(weft, oneBlock, 16).numWorkers(1).resumeFrom(half).build().fit();
        assertEquals(8, resumed.firstRound());
        assertEquals(8, resumed.metrics().size(), "only the rounds after the checkpoint ran");
        assertEquals(16, resumed.checkpoint().round());
        assertEquals(straight.lastMetrics(), resumed.lastMetrics());
        Booster a = straight.checkpoint().booster();
        Booster b = resumed.checkpoint().booster();
        try {
            assertArrayEquals(predictDirectly(a, 2_000), predictDirectly(b, 2_000), 1e-6f);
        } finally {
            a.dispose();
            b.dispose();
        }

        // Two workers: blocks reach whichever worker asks first, so the shards (and the histogram bins XGBoost
        // sketches from them) differ from run to run; the resumed model keeps the checkpoint's trees exactly.
        Dataset train = DemoData.train(20_000).materialize();
        builder(weft, train, 8).checkpointDir(dir.resolve("two")).build().fit();
        Checkpoint twoHalf = Checkpoint.latest(dir.resolve("two")).orElseThrow();
        TrainingResult twoResumed = builder(weft, train, 16).resumeFrom(twoHalf).build().fit();
        assertEquals(16, twoResumed.checkpoint().round());
        Booster h = twoHalf.booster();
        Booster full = twoResumed.checkpoint().booster();
        try {
            assertArrayEquals(predictDirectly(h, 2_000), predictDirectly(full, 2_000, 8), 0f);
        } finally {
            h.dispose();
            full.dispose();
        }
        assertTrue(twoResumed.lastMetrics().get("train-error") <= straight.lastMetrics().get("train-error") + 0.01,
                twoResumed.lastMetrics() + " vs " + straight.lastMetrics());
        assertTrue(Checkpoint.latest(dir.resolve("none")).isEmpty());
    }
}
