package dev.weft.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ErrorType;
import dev.weft.api.Weft;
import dev.weft.data.Dataset;
import dev.weft.data.Datasets;
import dev.weft.testing.WeftTest;
import dev.weft.train.examples.DemoData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bad input fails before any worker starts, naming the column; a worker's death restarts the group or names it. */
@WeftTest(nodes = 2, cpusPerNode = 2)
class TrainingFailuresTest {

    static XGBoostTrainer.Builder builder(Weft weft, Dataset train) {
        return XGBoostTrainer.builder(weft).params(DistributedTrainingTest.PARAMS).numRounds(5)
                .labelColumn(DemoData.LABEL).numWorkers(2).dataset(train);
    }

    static Dataset withText() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(Map.of("x", (double) i, "city", i % 2 == 0 ? "Oslo" : "Lima", "label", (double) (i % 2)));
        }
        return Datasets.fromItems(rows);
    }

    @Test
    void aMissingLabelColumnIsNamedWithTheColumnsThereAre(Weft weft) {
        TrainingException e = assertThrows(TrainingException.class,
                () -> builder(weft, DemoData.train(100)).labelColumn("target").build().fit());
        assertTrue(e.getMessage().contains("label column 'target'") && e.getMessage().contains("f0"), e.getMessage());
        assertEquals(ErrorType.USER_ERROR, e.errorType());
    }

    @Test
    void aNonNumericFeatureColumnIsNamed(Weft weft) {
        TrainingException e = assertThrows(TrainingException.class, () -> builder(weft, withText()).build().fit());
        assertTrue(e.getMessage().contains("feature column 'city'") && e.getMessage().contains("not numeric"),
                e.getMessage());
        TrainingException named = assertThrows(TrainingException.class,
                () -> builder(weft, withText()).featureColumns("x", "nope").build().fit());
        assertTrue(named.getMessage().contains("feature column 'nope'"), named.getMessage());
        TrainingException label = assertThrows(TrainingException.class,
                () -> builder(weft, withText()).labelColumn("city").featureColumns("x").build().fit());
        assertTrue(label.getMessage().contains("label column 'city'"), label.getMessage());
        TrainingException eval = assertThrows(TrainingException.class, () -> builder(weft, DemoData.train(100))
                .featureColumns(DemoData.FEATURES).evalDataset("valid", withText()).build().fit());
        assertTrue(eval.getMessage().contains("dataset 'valid'"), eval.getMessage());
    }

    @Test
    void badOptionsFailNamingTheOption(Weft weft) {
        assertThrows(IllegalArgumentException.class, () -> XGBoostTrainer.builder(weft).numWorkers(0));
        assertThrows(IllegalArgumentException.class, () -> XGBoostTrainer.builder(weft).numRounds(0));
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> XGBoostTrainer.builder(weft).param("eta", List.of(1)));
        assertTrue(p.getMessage().contains("parameter 'eta'"), p.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                () -> XGBoostTrainer.builder(weft).labelColumn("y").build());
        assertTrue(d.getMessage().contains("dataset"), d.getMessage());
    }

    @Test
    void anXGBoostErrorOnTheWorkersNamesTheRankAndXGBoostsMessage(Weft weft) {
        TrainingException e = assertThrows(TrainingException.class, () -> builder(weft, DemoData.train(2_000))
                .featureColumns(DemoData.FEATURES).param("objective", "binary:nonsense").build().fit());
        assertTrue(e.getMessage().contains("rank") && e.getMessage().contains("nonsense"), e.getMessage());
    }

    @Test
    @WeftTest(nodes = 2, cpusPerNode = 2, infeasibleTimeoutMillis = 500)
    void workersThatCannotBePlacedAreNamedWithTheirResources(Weft weft) {
        TrainingException e = assertThrows(TrainingException.class, () -> builder(weft, DemoData.train(1_000))
                .featureColumns(DemoData.FEATURES).resourcesPerWorker(dev.weft.api.Bundle.cpus(3)).build().fit());
        assertTrue(e.getMessage().contains("cannot start 2 XGBoost worker(s)") && e.getMessage().contains("3.0"),
                e.getMessage());
    }

    @Test
    void aNullLabelFailsNamingTheLabelColumnAndTheRank(Weft weft) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Map<String, Object> row = new java.util.HashMap<>();
            row.put("x", (double) i);
            row.put("label", i == 700 ? null : (double) (i % 2));
            rows.add(row);
        }
        TrainingException e = assertThrows(TrainingException.class,
                () -> builder(weft, Datasets.fromItems(rows)).build().fit());
        assertTrue(e.getMessage().contains("label column 'label'") && e.getMessage().contains("null")
                && e.getMessage().contains("rank"), e.getMessage());
    }

    /** Runs {@code trainer.fit()} on a thread of its own; kills rank 1 once a checkpoint past round 0 exists. */
    static CompletableFuture<TrainingResult> fitAndKillRankOne(Weft weft, XGBoostTrainer trainer) throws Exception {
        CompletableFuture<TrainingResult> fit = new CompletableFuture<>();
        Thread.ofPlatform().name("fit").start(() -> {
            try {
                fit.complete(trainer.fit());
            } catch (Throwable e) {
                fit.completeExceptionally(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !fit.isDone()) {
            CheckpointSink sink = trainer.currentSink;
            var group = trainer.currentGroup;
            if (sink != null && group != null && sink.latest() != null && sink.latest().round() > 0) {
                weft.kill(group.members().get(1));
                return fit;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("training never reported a checkpoint: " + (fit.isDone() ? fit.get() : "still running"));
    }

    @Test
    void whenAWorkerDiesTheGroupRestartsFromTheLatestCheckpoint(Weft weft) throws Exception {
        Dataset train = DemoData.train(60_000).materialize();
        XGBoostTrainer trainer = builder(weft, train).featureColumns(DemoData.FEATURES).numRounds(120)
                .checkpointEvery(2).maxFailures(1).build();
        TrainingResult r = fitAndKillRankOne(weft, trainer).get(120, TimeUnit.SECONDS);
        assertEquals(1, r.restarts());
        assertTrue(r.firstRound() > 0, "the new group resumed from a checkpoint, not round 0: " + r.firstRound());
        assertEquals(120, r.checkpoint().round());
        assertEquals(120 - r.firstRound(), r.metrics().size());
        assertEquals(60_000, r.rows(), "the new group read the whole dataset again");
    }

    @Test
    void whenAWorkerDiesAndNoRestartIsLeftTheErrorNamesItsRank(Weft weft) throws Exception {
        Dataset train = DemoData.train(60_000).materialize();
        XGBoostTrainer trainer = builder(weft, train).featureColumns(DemoData.FEATURES).numRounds(120)
                .checkpointEvery(2).maxFailures(0).build();
        Throwable e = assertThrows(ExecutionException.class,
                () -> fitAndKillRankOne(weft, trainer).get(120, TimeUnit.SECONDS)).getCause();
        assertInstanceOf(TrainingException.class, e);
        assertTrue(e.getMessage().contains("rank [1] died") && e.getMessage().contains("latest checkpoint: round"),
                e.getMessage());
        assertEquals(ErrorType.SYSTEM_FAILURE, ((TrainingException) e).errorType());
    }
}
