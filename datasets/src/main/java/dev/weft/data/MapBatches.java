package dev.weft.data;

import java.io.Serializable;

/**
 * How {@link Dataset#mapBatches} runs: as stateless tasks ({@link #tasks()}) or on an autoscaling pool of
 * actors ({@link #actors(int, int)}), each building the UDF once. Immutable; each setter returns a copy:
 * {@code MapBatches.actors(2, 8).batchSize(8192).numGpus(1)}.
 *
 * @param minActors   smallest actor pool (actors only)
 * @param maxActors   largest actor pool; the pool grows while blocks queue and shrinks when actors idle
 * @param batchSize   rows per call of the function (the last batch of a task may be smaller); 0 means whole blocks
 * @param numCpus     CPUs each task or actor holds
 * @param numGpus     GPUs each task or actor holds
 * @param concurrency most tasks of this operator running at once (tasks only); 0 means no limit but the budgets
 */
public record MapBatches(boolean useActors, int minActors, int maxActors, int batchSize, double numCpus,
                         double numGpus, int concurrency) implements Serializable {
    public static final int DEFAULT_BATCH_SIZE = 4096;

    public MapBatches {
        if (useActors && (minActors < 1 || maxActors < minActors)) {
            throw new IllegalArgumentException("actor pool needs 1 <= min <= max, got min=" + minActors + " max=" + maxActors);
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("batchSize must be >= 0, got " + batchSize);
        }
        if (!(numCpus >= 0) || !(numGpus >= 0) || Double.isInfinite(numCpus) || Double.isInfinite(numGpus)) {
            throw new IllegalArgumentException("numCpus and numGpus must be finite and >= 0, got " + numCpus + ", " + numGpus);
        }
        if (concurrency < 0) {
            throw new IllegalArgumentException("concurrency must be >= 0, got " + concurrency);
        }
    }

    /** Stateless tasks, one CPU each, batches of {@value #DEFAULT_BATCH_SIZE} rows. */
    public static MapBatches tasks() {
        return new MapBatches(false, 0, 0, DEFAULT_BATCH_SIZE, 1, 0, 0);
    }

    /** An actor pool of {@code min} to {@code max} actors, one CPU each. */
    public static MapBatches actors(int min, int max) {
        return new MapBatches(true, min, max, DEFAULT_BATCH_SIZE, 1, 0, 0);
    }

    /** A fixed pool of {@code size} actors. */
    public static MapBatches actors(int size) {
        return actors(size, size);
    }

    public MapBatches batchSize(int rows) {
        return new MapBatches(useActors, minActors, maxActors, rows, numCpus, numGpus, concurrency);
    }

    public MapBatches numCpus(double cpus) {
        return new MapBatches(useActors, minActors, maxActors, batchSize, cpus, numGpus, concurrency);
    }

    public MapBatches numGpus(double gpus) {
        return new MapBatches(useActors, minActors, maxActors, batchSize, numCpus, gpus, concurrency);
    }

    public MapBatches concurrency(int tasks) {
        return new MapBatches(useActors, minActors, maxActors, batchSize, numCpus, numGpus, tasks);
    }

    /** For plans: {@code tasks} or {@code actors=2..8}, with non-default settings. */
    public String describe() {
        StringBuilder sb = new StringBuilder(useActors ? "actors=" + minActors + ".." + maxActors : "tasks");
        sb.append(", batchSize=").append(batchSize);
        if (numCpus != 1) {
            sb.append(", numCpus=").append(numCpus);
        }
        if (numGpus != 0) {
            sb.append(", numGpus=").append(numGpus);
        }
        if (concurrency != 0) {
            sb.append(", concurrency=").append(concurrency);
        }
        return sb.toString();
    }
}
