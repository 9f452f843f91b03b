package dev.weft.data;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Settings of dataset execution. Immutable and serializable (it travels with read and write tasks);
 * build with {@link #builder()}. {@link #current()} is the process-wide default a {@link Dataset} uses
 * unless given its own with {@code Dataset.withContext}.
 *
 * @param targetMinBlockSizeBytes  blocks smaller than this are coalesced before they are stored (≥ 1 MiB)
 * @param targetMaxBlockSizeBytes  blocks larger than this are split (default 128 MiB; at most 1 GiB)
 * @param objectStoreBudgetFraction share of the cluster's object store one execution may hold in flight
 * @param globalBudgetBytes        explicit global in-flight byte budget; 0 means the fraction of the store
 * @param operatorBudgetBytes      in-flight byte budget per operator; 0 means the global budget split over operators
 * @param readParallelism          read tasks to ask a source for; 0 means twice the cluster's CPUs (at least 8)
 * @param prefetchBlocks           blocks {@code iterBatches} fetches ahead of the consumer
 * @param progressBars             live progress bars per operator (only ever shown on a terminal)
 * @param ignoreCorruptFiles       sources skip unreadable/corrupt files and count them in {@code stats()} instead of failing
 * @param actorIdleTimeout         an actor-pool actor idle this long is released (the pool never goes below its minimum)
 * @param partialAggregation       a group-by folds rows into partial states inside the tasks that produce them, so
 *                                 only the states go through the object store (default); off, the rows are stored
 *                                 and the exchange's own map tasks aggregate them
 * @param fuseBroadcastJoins       a join with the broadcast hint probes the left side inside the tasks that produce
 *                                 it, each task building the right side's hash table (default); off, the left side's
 *                                 blocks are stored and one join task per block probes them
 * @param progressTimeout          an execution that waits on the cluster this long with no task ending and no block
 *                                 produced fails with an error naming what it waits for (operators, their tasks and
 *                                 actor pools, resources wanted and available) instead of waiting for ever; it is
 *                                 the longest a single task or actor call may legitimately run (default 5 minutes;
 *                                 {@link Duration#ZERO} turns the watchdog off)
 */
public record DataContext(long targetMinBlockSizeBytes, long targetMaxBlockSizeBytes, double objectStoreBudgetFraction,
                          long globalBudgetBytes, long operatorBudgetBytes, int readParallelism, int prefetchBlocks,
                          boolean progressBars, boolean ignoreCorruptFiles, Duration actorIdleTimeout,
                          boolean partialAggregation, boolean fuseBroadcastJoins, Duration progressTimeout)
        implements Serializable {

    private static final long MIB = 1024L * 1024L;
    private static final AtomicReference<DataContext> CURRENT = new AtomicReference<>(builder().build());

    public DataContext {
        if (targetMinBlockSizeBytes < 1 || targetMinBlockSizeBytes > targetMaxBlockSizeBytes) {
            throw new IllegalArgumentException("targetMinBlockSizeBytes must be in [1, targetMaxBlockSizeBytes="
                    + targetMaxBlockSizeBytes + "], got " + targetMinBlockSizeBytes);
        }
        if (targetMaxBlockSizeBytes > 1024 * MIB) {
            throw new IllegalArgumentException("targetMaxBlockSizeBytes must be <= 1 GiB, got " + targetMaxBlockSizeBytes);
        }
        if (!(objectStoreBudgetFraction > 0 && objectStoreBudgetFraction <= 1)) {
            throw new IllegalArgumentException("objectStoreBudgetFraction must be in (0, 1], got " + objectStoreBudgetFraction);
        }
        if (globalBudgetBytes < 0 || operatorBudgetBytes < 0) {
            throw new IllegalArgumentException("budgets must be >= 0, got global=" + globalBudgetBytes
                    + " operator=" + operatorBudgetBytes);
        }
        if (readParallelism < 0) {
            throw new IllegalArgumentException("readParallelism must be >= 0, got " + readParallelism);
        }
        if (prefetchBlocks < 0) {
            throw new IllegalArgumentException("prefetchBlocks must be >= 0, got " + prefetchBlocks);
        }
        if (actorIdleTimeout == null || actorIdleTimeout.isNegative()) {
            throw new IllegalArgumentException("actorIdleTimeout must be >= 0, got " + actorIdleTimeout);
        }
        if (progressTimeout == null || progressTimeout.isNegative()) {
            throw new IllegalArgumentException("progressTimeout must be >= 0 (0 turns the watchdog off), got "
                    + progressTimeout);
        }
    }

    /** The process-wide default context. */
    public static DataContext current() {
        return CURRENT.get();
    }

    /** Replaces the process-wide default; datasets already executing keep the context they started with. */
    public static void setCurrent(DataContext context) {
        if (context == null) {
            throw new IllegalArgumentException("context must not be null");
        }
        CURRENT.set(context);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this context's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.targetMinBlockSizeBytes = targetMinBlockSizeBytes;
        b.targetMaxBlockSizeBytes = targetMaxBlockSizeBytes;
        b.objectStoreBudgetFraction = objectStoreBudgetFraction;
        b.globalBudgetBytes = globalBudgetBytes;
        b.operatorBudgetBytes = operatorBudgetBytes;
        b.readParallelism = readParallelism;
        b.prefetchBlocks = prefetchBlocks;
        b.progressBars = progressBars;
        b.ignoreCorruptFiles = ignoreCorruptFiles;
        b.actorIdleTimeout = actorIdleTimeout;
        b.partialAggregation = partialAggregation;
        b.fuseBroadcastJoins = fuseBroadcastJoins;
        b.progressTimeout = progressTimeout;
        return b;
    }

    /** Not thread-safe; {@link #build()} validates. */
    public static final class Builder {
        private long targetMinBlockSizeBytes = MIB;
        private long targetMaxBlockSizeBytes = 128 * MIB;
        private double objectStoreBudgetFraction = 0.25;
        private long globalBudgetBytes;
        private long operatorBudgetBytes;
        private int readParallelism;
        private int prefetchBlocks = 2;
        private boolean progressBars = true;
        private boolean ignoreCorruptFiles;
        private Duration actorIdleTimeout = Duration.ofSeconds(2);
        private boolean partialAggregation = true;
        private boolean fuseBroadcastJoins = true;
        private Duration progressTimeout = Duration.ofMinutes(5);

        private Builder() {
        }

        public Builder targetMinBlockSizeBytes(long bytes) {
            this.targetMinBlockSizeBytes = bytes;
            return this;
        }

        public Builder targetMaxBlockSizeBytes(long bytes) {
            this.targetMaxBlockSizeBytes = bytes;
            return this;
        }

        public Builder objectStoreBudgetFraction(double fraction) {
            this.objectStoreBudgetFraction = fraction;
            return this;
        }

        public Builder globalBudgetBytes(long bytes) {
            this.globalBudgetBytes = bytes;
            return this;
        }

        public Builder operatorBudgetBytes(long bytes) {
            this.operatorBudgetBytes = bytes;
            return this;
        }

        public Builder readParallelism(int tasks) {
            this.readParallelism = tasks;
            return this;
        }

        public Builder prefetchBlocks(int blocks) {
            this.prefetchBlocks = blocks;
            return this;
        }

        public Builder progressBars(boolean on) {
            this.progressBars = on;
            return this;
        }

        public Builder ignoreCorruptFiles(boolean ignore) {
            this.ignoreCorruptFiles = ignore;
            return this;
        }

        public Builder actorIdleTimeout(Duration timeout) {
            this.actorIdleTimeout = timeout;
            return this;
        }

        public Builder partialAggregation(boolean fused) {
            this.partialAggregation = fused;
            return this;
        }

        public Builder fuseBroadcastJoins(boolean fused) {
            this.fuseBroadcastJoins = fused;
            return this;
        }

        /** How long an execution may wait on the cluster without any progress; {@link Duration#ZERO} = no limit. */
        public Builder progressTimeout(Duration timeout) {
            this.progressTimeout = timeout;
            return this;
        }

        public DataContext build() {
            return new DataContext(targetMinBlockSizeBytes, targetMaxBlockSizeBytes, objectStoreBudgetFraction,
                    globalBudgetBytes, operatorBudgetBytes, readParallelism, prefetchBlocks, progressBars,
                    ignoreCorruptFiles, actorIdleTimeout, partialAggregation, fuseBroadcastJoins, progressTimeout);
        }
    }
}
