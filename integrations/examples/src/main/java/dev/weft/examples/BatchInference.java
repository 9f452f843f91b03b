package dev.weft.examples;

import static dev.weft.data.Expr.col;

import dev.weft.data.Dataset;
import dev.weft.data.DatasetStats;
import dev.weft.data.Datasets;
import dev.weft.data.MapBatches;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The main job: an end-to-end batch-inference pipeline on whatever runtime {@code Weft.current()} is.
 * Generate Parquet (once) → read with a filter pushed into the scan → score with an XGBoost model loaded once
 * per actor of an autoscaling pool → keep the columns that matter → write Parquet atomically → aggregate the
 * written scores and check them against a direct computation.
 */
final class BatchInference {
    private BatchInference() {
    }

    /** What to run. {@code out} is replaced if it exists. */
    record Settings(long rows, Path dataRoot, Path out, int minActors, int maxActors, int batchSize) {
        Settings {
            if (rows < 1 || minActors < 1 || maxActors < minActors || batchSize < 1) {
                throw new IllegalArgumentException("need rows >= 1, 1 <= minActors <= maxActors, batchSize >= 1; got rows="
                        + rows + " actors=" + minActors + ".." + maxActors + " batchSize=" + batchSize);
            }
        }
    }

    /** What happened, with the figures a test can check. */
    record Report(long inputRows, long scoredRows, long positives, double meanScore, double accuracy,
                  double trainAccuracy, long scoreNanos, DatasetStats stats) {
    }

    /** Rows kept by the pushed-down filter: the feature {@code f3} below this. */
    static final double F3_BELOW = 0.9;

    static Report run(Settings s, PrintStream out) throws Exception {
        Path data = s.dataRoot().resolve("events-" + s.rows());
        if (!Files.isDirectory(data)) {
            long t0 = System.nanoTime();
            Datasets.range(s.rows())
                    .mapBatches(new Features(), MapBatches.tasks().batchSize(0))
                    .writeParquet(data.toString());
            out.printf("generated %,d rows of Parquet in %s (%.1f s)%n", s.rows(), data, secs(System.nanoTime() - t0));
        } else {
            out.printf("reusing %,d rows of Parquet in %s%n", s.rows(), data);
        }

        long t0 = System.nanoTime();
        Model.Trained model = Model.train(20_000, 40);
        out.printf("trained an XGBoost classifier (40 rounds, depth 6) on 20,000 rows: training accuracy %.3f (%.1f s)%n",
                model.trainAccuracy(), secs(System.nanoTime() - t0));

        deleteRecursively(s.out());
        byte[] bytes = model.bytes();
        Dataset scored = Datasets.readParquet(data.toString())
                .filter(col("f3").lt(F3_BELOW))
                // Half a CPU per actor: a pool that held every CPU would starve the read tasks feeding it.
                .mapBatches(() -> new Scorer(bytes), MapBatches.actors(s.minActors(), s.maxActors())
                        .batchSize(s.batchSize()).numCpus(0.5))
                .select("id", "key", "score");
        out.println("plan:");
        out.println(scored.explain().indent(2).stripTrailing());
        long start = System.nanoTime();
        scored.writeParquet(s.out().toString());
        long scoreNanos = System.nanoTime() - start;
        DatasetStats stats = scored.stats();

        Dataset written = Datasets.readParquet(s.out().toString());
        long scoredRows = written.count();
        long positives = written.filter(col("score").ge(0.5)).count();
        double meanScore = written.mean("score");
        double accuracy = accuracy(written);
        out.printf("scored %,d of %,d rows (f3 < %.1f) with %d..%d actors in %.2f s: %,.0f rows/s%n", scoredRows, s.rows(),
                F3_BELOW, s.minActors(), s.maxActors(), secs(scoreNanos), scoredRows / secs(scoreNanos));
        out.printf("positives %,d (%.1f %%), mean score %.4f, accuracy against the ground truth %.3f%n", positives,
                100.0 * positives / Math.max(1, scoredRows), meanScore, accuracy);
        out.println("wrote " + s.out());
        out.println("stats:");
        out.println(stats.toString().indent(2).stripTrailing());
        return new Report(s.rows(), scoredRows, positives, meanScore, accuracy, model.trainAccuracy(), scoreNanos, stats);
    }

    /** The fraction of written rows whose predicted class equals {@link Features#label} of their id. */
    private static double accuracy(Dataset written) {
        long right = 0;
        long all = 0;
        try (var batches = written.select("id", "score").iterBatches()) {
            while (batches.hasNext()) {
                VectorSchemaRoot batch = batches.next();
                BigIntVector ids = (BigIntVector) batch.getVector("id");
                Float8Vector scores = (Float8Vector) batch.getVector("score");
                for (int i = 0; i < batch.getRowCount(); i++) {
                    right += (scores.get(i) >= 0.5) == (Features.label(ids.get(i)) == 1f) ? 1 : 0;
                }
                all += batch.getRowCount();
            }
        }
        return all == 0 ? 0 : (double) right / all;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + p, e);
                }
            });
        }
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }
}
