package dev.weft.train.examples;

import dev.weft.api.Bundle;
import dev.weft.api.PlacementStrategy;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.data.CloseableIterator;
import dev.weft.data.Dataset;
import dev.weft.data.MapBatches;
import dev.weft.train.Checkpoint;
import dev.weft.train.TrainingResult;
import dev.weft.train.XGBoostPredictor;
import dev.weft.train.XGBoostTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./weft train}: distributed XGBoost on the demo data. Trains with {@code --workers} workers (and, with
 * {@code --compare}, with one worker on the same rows), saves the model as a checkpoint file, loads it back and
 * scores a held-out set through {@code mapBatches} on an actor pool, beside XGBoost4J's bare {@code predict} on the
 * same rows. {@code --runs} repeats each measurement and reports medians. Exit code 0 when the k-worker model is as
 * accurate as the one-worker model (within one point) and the loaded checkpoint scores like the model in memory.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains XGBoost data-parallel on a worker group and scores with it on an actor pool.")
public final class TrainDemo implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "2", description = "virtual nodes of the embedded cluster (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--cpus", defaultValue = "0", description = "CPUs per node (default: this machine's cores)")
    double cpus;

    @Option(names = "--rows", defaultValue = "200000", description = "training rows (default ${DEFAULT-VALUE})")
    long rows;

    @Option(names = "--test-rows", defaultValue = "200000", description = "rows scored (default ${DEFAULT-VALUE})")
    long testRows;

    @Option(names = "--rounds", defaultValue = "50", description = "boosting rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--workers", defaultValue = "2", description = "training workers k (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--cpus-per-worker", defaultValue = "1", description = "CPUs (and XGBoost threads) per training worker (default ${DEFAULT-VALUE})")
    int cpusPerWorker;

    @Option(names = "--spread", description = "one training worker per node (STRICT_SPREAD) instead of packed")
    boolean spread;

    @Option(names = "--actors", defaultValue = "2", description = "scoring actors (default ${DEFAULT-VALUE})")
    int actors;

    @Option(names = "--compare", description = "also train with one worker on the same rows")
    boolean compare;

    @Option(names = "--runs", defaultValue = "1", description = "repeat each measurement, report medians (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--checkpoint-dir", description = "where checkpoints go (default: a new temporary directory)")
    Path checkpointDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final Map<String, Object> PARAMS = Map.of("objective", "binary:logistic", "max_depth", 6, "eta", 0.3,
            "eval_metric", "error", "verbosity", 0);
    static final int BATCH = 4096;

    public static void main(String[] args) {
        // The example prints its own report; libraries speak only when something is wrong (slf4j-simple's settings,
        // set here rather than in a properties file so a library jar does not carry them).
        for (String logger : List.of("org.slf4j.simpleLogger.defaultLogLevel", "org.slf4j.simpleLogger.log.dev.weft")) {
            if (System.getProperty(logger) == null) {
                System.setProperty(logger, "warn");
            }
        }
        System.exit(new CommandLine(new TrainDemo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || cpus < 0 || rows < 1 || testRows < 1 || rounds < 1 || workers < 1 || actors < 1 || runs < 1
                || cpusPerWorker < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "need positive --nodes, --rows, --test-rows, "
                    + "--rounds, --workers, --cpus-per-worker, --actors, --runs and --cpus >= 0");
        }
        double perNode = cpus > 0 ? cpus : Runtime.getRuntime().availableProcessors();
        Path dir = checkpointDir != null ? checkpointDir : Files.createTempDirectory("weft-train-");
        System.out.printf("Weft train: embedded cluster of %d virtual nodes x %s CPUs (or the cluster at WEFT_ADDRESS)%n",
                nodes, perNode);
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(nodes, perNode).build())) {
            Dataset train = DemoData.train(rows).materialize();
            Dataset valid = DemoData.rows(DemoData.TEST_OFFSET / 2, Math.max(1, rows / 10)).materialize();
            Dataset test = DemoData.test(testRows).materialize();
            System.out.printf("data: %,d training rows, %,d validation rows, %,d test rows (4 features, 0/1 label)%n",
                    rows, Math.max(1, rows / 10), testRows);

            List<Integer> ks = compare && workers != 1 ? List.of(1, workers) : List.of(workers);
            // A short fit first, so that class loading, the JIT and XGBoost's native library load are not measured.
            fit(weft, DemoData.train(Math.min(rows, 5_000)).materialize(), valid, 1, 1, 2, false, dir.resolve("warm-up"));
            Map<Integer, double[][]> rates = new java.util.LinkedHashMap<>();
            Map<Integer, TrainingResult> results = new java.util.LinkedHashMap<>();
            ks.forEach(k -> rates.put(k, new double[3][runs]));
            for (int run = 0; run < runs; run++) {
                for (int k : ks) { // interleaved, so that a busy moment of the machine does not favour one k
                    TrainingResult r = fit(weft, train, valid, k, cpusPerWorker, rounds, spread, dir.resolve("k" + k));
                    rates.get(k)[0][run] = r.rows() / secs(r.readTime().toNanos());
                    rates.get(k)[1][run] = (double) r.rows() * rounds / secs(r.trainTime().toNanos());
                    rates.get(k)[2][run] = secs(r.totalTime().toNanos());
                    results.put(k, r);
                }
            }
            List<Double> accuracies = new ArrayList<>();
            for (int k : ks) {
                TrainingResult r = results.get(k);
                double acc = accuracy(XGBoostPredictor.predict(test, r.checkpoint(), DemoData.FEATURES,
                        MapBatches.actors(actors).batchSize(BATCH)));
                accuracies.add(acc);
                double[][] m = rates.get(k);
                System.out.printf("k=%d: rows per worker %s; median of %d: shard read %,.0f rows/s, training %,.0f"
                                + " row-rounds/s, fit %.2f s; valid error %.4f; test accuracy %.4f%s%n", k,
                        r.rowsPerWorker(), runs, median(m[0]), median(m[1]), median(m[2]),
                        r.lastMetrics().get("valid-error"), acc, r.restarts() == 0 ? ""
                                : "; the last fit restarted " + r.restarts() + " time(s), resuming at round " + r.firstRound());
            }
            TrainingResult last = results.get(workers);

            Checkpoint saved = Checkpoint.latest(dir.resolve("k" + workers)).orElseThrow();
            System.out.printf("checkpoint: %s in %s%n", saved, dir.resolve("k" + workers));
            boolean same = Arrays.equals(saved.model(), last.checkpoint().model());
            double[] poolRate = new double[runs];
            double[] bareRate = new double[runs];
            for (int run = 0; run < runs; run++) {
                long t0 = System.nanoTime();
                long n = 0;
                try (CloseableIterator<VectorSchemaRoot> scored = XGBoostPredictor.predict(test, saved,
                        DemoData.FEATURES, MapBatches.actors(actors).batchSize(BATCH)).select("prediction").iterBatches()) {
                    while (scored.hasNext()) {
                        n += scored.next().getRowCount();
                    }
                }
                poolRate[run] = n / secs(System.nanoTime() - t0);
                bareRate[run] = barePredictRate(saved, testRows);
            }
            System.out.printf("scoring %,d rows, median of %d: actor pool of %d %,.0f rows/s; bare XGBoost4J predict"
                    + " (one thread, same batches) %,.0f rows/s%n", testRows, runs, actors, median(poolRate),
                    median(bareRate));
            boolean accurate = accuracies.getLast() >= accuracies.getFirst() - 0.01;
            System.out.println(accurate && same ? "verified: k=" + workers + " is as accurate as k=1"
                    + (ks.size() == 1 ? " (not compared: pass --compare)" : "") + ", and the saved checkpoint is the"
                    + " trained model" : "NOT verified: accuracies " + accuracies + ", checkpoint equal " + same);
            return accurate && same ? 0 : 1;
        }
    }

    static TrainingResult fit(Weft weft, Dataset train, Dataset valid, int k, int cpusPerWorker, int rounds,
                              boolean spread, Path dir) {
        return XGBoostTrainer.builder(weft).params(PARAMS).numRounds(rounds).labelColumn(DemoData.LABEL)
                .featureColumns(DemoData.FEATURES).numWorkers(k).resourcesPerWorker(Bundle.cpus(cpusPerWorker))
                .placementStrategy(spread ? PlacementStrategy.STRICT_SPREAD : PlacementStrategy.PACK)
                .dataset(train).evalDataset("valid", valid)
                .checkpointEvery(Math.max(1, rounds / 5)).checkpointDir(dir).build().fit();
    }

    /** Rows per second of XGBoost4J's {@code inplace_predict} over the test rows in batches, on this thread. */
    static double barePredictRate(Checkpoint checkpoint, long n) throws XGBoostError {
        int cols = DemoData.FEATURES.size();
        int rowsTotal = (int) n;
        float[] x = new float[rowsTotal * cols];
        for (int i = 0; i < rowsTotal; i++) {
            for (int j = 0; j < cols; j++) {
                x[i * cols + j] = (float) DemoData.feature(DemoData.TEST_OFFSET + i, j);
            }
        }
        Booster booster = checkpoint.booster();
        try {
            long t0 = System.nanoTime();
            for (int from = 0; from < rowsTotal; from += BATCH) {
                int m = Math.min(BATCH, rowsTotal - from);
                booster.inplace_predict(Arrays.copyOfRange(x, from * cols, (from + m) * cols), m, cols, Float.NaN);
            }
            return rowsTotal / secs(System.nanoTime() - t0);
        } finally {
            booster.dispose();
        }
    }

    /** The share of rows whose 0.5-thresholded prediction is the row's true label. */
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
        return all == 0 ? 0 : (double) right / all;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double secs(long nanos) {
        return Math.max(1, nanos) / 1e9;
    }
}
