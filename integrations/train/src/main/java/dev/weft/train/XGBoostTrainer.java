package dev.weft.train;

import dev.weft.api.ActorDiedException;
import dev.weft.api.ActorHandle;
import dev.weft.api.Bundle;
import dev.weft.api.ErrorType;
import dev.weft.api.GetTimeoutException;
import dev.weft.api.ObjectRef;
import dev.weft.api.PlacementStrategy;
import dev.weft.api.Resources;
import dev.weft.api.Weft;
import dev.weft.api.WeftException;
import dev.weft.api.WeftFunc1;
import dev.weft.data.DataIterator;
import dev.weft.data.Dataset;
import dev.weft.gang.WorkerGroup;
import dev.weft.gang.WorkerGroup.WorkerGroupException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Data-parallel XGBoost on a {@link WorkerGroup} (like Ray Train's {@code XGBoostTrainer}): {@code numWorkers}
 * workers, each fed its shard of every dataset through {@link Dataset#streamingSplit} into a DMatrix, train one
 * model together, coordinated by XGBoost's own collective tracker (histograms and metrics are all-reduced by
 * XGBoost). Rank 0 reports a checkpoint every {@code checkpointEvery} rounds; when a worker dies the trainer starts a
 * new group and resumes from the latest one, up to {@code maxFailures} times. Only the API, datasets and worker
 * groups are used, so it runs the same on the embedded cluster and on a cluster (tried: a head and a worker JVM).
 *
 * <pre>{@code
 * TrainingResult r = XGBoostTrainer.builder(weft)
 *         .params(Map.of("objective", "binary:logistic", "eval_metric", "auc", "max_depth", 6))
 *         .numRounds(50).labelColumn("label").numWorkers(2)
 *         .dataset(train).evalDataset("valid", valid)
 *         .build().fit();
 * Dataset scored = XGBoostPredictor.predict(test, r.checkpoint(), List.of("f0", "f1"), MapBatches.actors(1, 2));
 * }</pre>
 *
 * A trainer may be fit more than once (each fit runs from its start). Not thread-safe: one thread fits.
 */
public final class XGBoostTrainer {
    private static final Duration PING_PATIENCE = Duration.ofSeconds(30);

    private final Weft weft;
    private final Map<String, Object> params;
    private final int numRounds;
    private final String label;
    private final List<String> featureColumns;
    private final int numWorkers;
    private final Bundle resourcesPerWorker;
    private final PlacementStrategy strategy;
    private final Dataset train;
    private final Map<String, Dataset> evals;
    private final int checkpointEvery;
    private final Path checkpointDir;
    private final Checkpoint resumeFrom;
    private final int maxFailures;
    private final Duration collectiveTimeout;
    private final String bindHost;

    /** The group of the attempt now running (for fault-injection tests). */
    volatile WorkerGroup<Void> currentGroup;
    /** Where the fit now running keeps its checkpoints (for tests). */
    volatile CheckpointSink currentSink;

    private XGBoostTrainer(Builder b) {
        this.weft = b.weft;
        this.params = Map.copyOf(b.params);
        this.numRounds = b.numRounds;
        this.label = b.label;
        this.featureColumns = List.copyOf(b.featureColumns);
        this.numWorkers = b.numWorkers;
        this.resourcesPerWorker = b.resourcesPerWorker;
        this.strategy = b.strategy;
        this.train = b.train;
        this.evals = new LinkedHashMap<>(b.evals);
        this.checkpointEvery = b.checkpointEvery;
        this.checkpointDir = b.checkpointDir;
        this.resumeFrom = b.resumeFrom;
        this.maxFailures = b.maxFailures;
        this.collectiveTimeout = b.collectiveTimeout;
        this.bindHost = b.bindHost;
    }

    public static Builder builder(Weft weft) {
        return new Builder(weft);
    }

    /** The feature columns this trainer uses (the named ones, or every column of the training data but the label). */
    public List<String> featureColumns() {
        return Columns.check(train.schema(), "train", label, featureColumns);
    }

    /**
     * Trains and returns the model with its metrics. Checks the datasets' columns first (a missing or non-numeric
     * label or feature column fails here, naming it). Blocks until the last round; throws {@link TrainingException}
     * naming the worker's rank when a worker fails, or when workers died more than {@code maxFailures} times.
     */
    public TrainingResult fit() {
        long t0 = System.nanoTime();
        List<String> features = featureColumns();
        for (Map.Entry<String, Dataset> e : evals.entrySet()) {
            Columns.check(e.getValue().schema(), e.getKey(), label, features);
        }
        List<String> projection = new ArrayList<>(features);
        projection.add(label);
        // The projected rows are materialized once: a restarted group splits the same blocks again instead of
        // reading the source again, and on a cluster today streamingSplit loses blocks that a plan makes while
        // it is split (only blocks held by a materialized dataset reach the workers).
        String[] columns = projection.toArray(String[]::new);
        Dataset trainRows = train.select(columns).materialize();
        Map<String, Dataset> evalRows = new LinkedHashMap<>();
        evals.forEach((name, ds) -> evalRows.put(name, ds.select(columns).materialize()));
        try (CheckpointSink sink = openSink()) {
            currentSink = sink;
            TrainSpec spec = new TrainSpec(effectiveParams(), numRounds, label, features, checkpointEvery,
                    sink.address(), (int) Math.max(1, collectiveTimeout.toSeconds()));
            int failures = 0;
            while (true) {
                Checkpoint start = sink.latest();
                List<DataIterator> trainSplits = trainRows.streamingSplit(numWorkers, true, null);
                Map<String, List<DataIterator>> evalSplits = new LinkedHashMap<>();
                evalRows.forEach((name, ds) -> evalSplits.put(name, ds.streamingSplit(numWorkers, true, null)));
                boolean trained = false;
                WorkerGroup<Void> group = null;
                try {
                    try {
                        group = startGroup();
                    } catch (TrainingException e) {
                        // A node that died a moment ago may still be listed (until its heartbeat times out), so
                        // placing a restarted group can fail for a while: that counts as a failure, and waits.
                        if (!e.isRetryable() || failures >= maxFailures) {
                            throw e;
                        }
                        failures++;
                        pause(Duration.ofSeconds(failures));
                        continue;
                    }
                    currentGroup = group;
                    List<WorkerReport> reports = group.run(new TrainingRun(spec, trainSplits, evalSplits, start));
                    trained = true;
                    sink.offer(reports.getFirst().model());
                    if (sink.writeFailure() != null) {
                        throw new TrainingException(ErrorType.USER_ERROR, "training finished but its checkpoints could"
                                + " not be written to " + checkpointDir + ": " + sink.writeFailure(), sink.writeFailure());
                    }
                    return result(reports, failures, System.nanoTime() - t0);
                } catch (WorkerGroupException e) {
                    List<Integer> dead = deadRanks(group);
                    if (dead.isEmpty()) {
                        throw new TrainingException(e.errorType(), "XGBoost training on " + numWorkers
                                + " worker(s) failed: " + e.getMessage(), e);
                    }
                    if (failures >= maxFailures) {
                        throw new TrainingException(ErrorType.SYSTEM_FAILURE, "XGBoost worker(s) at rank " + dead
                                + " died and the trainer has used its " + maxFailures + " restart(s) (maxFailures); "
                                + "latest checkpoint: round " + (sink.latest() == null ? "none" : sink.latest().round()), e);
                    }
                    failures++;
                } finally {
                    currentGroup = null;
                    if (group != null) {
                        group.close();
                    }
                    if (!trained) { // what the workers did not read stays with the split coordinators otherwise
                        endSplits(trainSplits);
                        evalSplits.values().forEach(XGBoostTrainer::endSplits);
                    }
                }
            }
        } finally {
            currentSink = null;
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrainingException(ErrorType.CANCELLED, "interrupted while waiting to restart the workers", e);
        }
    }

    private CheckpointSink openSink() {
        try {
            return new CheckpointSink(bindHost, checkpointDir, resumeFrom);
        } catch (java.io.IOException e) {
            throw new TrainingException(ErrorType.SYSTEM_FAILURE, "cannot open the trainer's checkpoint listener on "
                    + bindHost + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Object> effectiveParams() {
        Map<String, Object> p = new HashMap<>(params);
        if (!p.containsKey("nthread")) {
            double cpus = resourcesPerWorker.resources().getOrDefault(Resources.CPU, 1.0);
            p.put("nthread", Math.max(1, (int) Math.floor(cpus)));
        }
        return p;
    }

    private WorkerGroup<Void> startGroup() {
        try {
            return WorkerGroup.builder(weft).size(numWorkers).bundle(resourcesPerWorker).strategy(strategy)
                    .maxRestarts(0).bindHost(bindHost).start();
        } catch (WorkerGroupException e) {
            throw new TrainingException(e.errorType() == ErrorType.USER_ERROR ? ErrorType.INSUFFICIENT_RESOURCES
                    : e.errorType(), "cannot start " + numWorkers + " XGBoost worker(s) of "
                    + resourcesPerWorker.resources() + ": " + e.getMessage(), e);
        }
    }

    private TrainingResult result(List<WorkerReport> reports, int restarts, long totalNanos) {
        WorkerReport lead = reports.getFirst();
        long read = reports.stream().mapToLong(WorkerReport::readNanos).max().orElse(0);
        long trainNanos = reports.stream().mapToLong(WorkerReport::trainNanos).max().orElse(0);
        return new TrainingResult(lead.model(), lead.firstRound(), lead.metrics(), reports.size(),
                reports.stream().map(WorkerReport::rows).toList(), restarts, Duration.ofNanos(read),
                Duration.ofNanos(trainNanos), Duration.ofNanos(totalNanos));
    }

    /** Ranks whose member no longer answers: the group's own failure says which worker died. */
    private static List<Integer> deadRanks(WorkerGroup<Void> group) {
        List<Integer> dead = new ArrayList<>();
        List<ActorHandle<?>> members = group.members();
        for (int rank = 0; rank < members.size(); rank++) {
            if (!answers(members.get(rank))) {
                dead.add(rank);
            }
        }
        return dead;
    }

    private static <A> boolean answers(ActorHandle<A> member) {
        try (ObjectRef<Boolean> ping = member.task((WeftFunc1<A, Boolean>) XGBoostTrainer::alive).remote()) {
            return ping.get(PING_PATIENCE);
        } catch (ActorDiedException | GetTimeoutException e) {
            return false; // a member that cannot answer cannot train: on a cluster its node may just have died
        } catch (WeftException e) {
            return !e.isRetryable();
        }
    }

    private static <A> Boolean alive(A member) {
        return Boolean.TRUE;
    }

    /** Gives up what is left of an attempt's splits, so their coordinators stop feeding them. */
    private static void endSplits(List<DataIterator> splits) {
        for (DataIterator split : splits) {
            try {
                split.iterBatches().close();
            } catch (WeftException ignored) {
                // the split's coordinator is already gone
            }
        }
    }

    /** Trainer options; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder {
        private final Weft weft;
        private final Map<String, Object> params = new LinkedHashMap<>();
        private int numRounds = 10;
        private String label;
        private List<String> featureColumns = List.of();
        private int numWorkers = 1;
        private Bundle resourcesPerWorker = Bundle.cpus(1);
        private PlacementStrategy strategy = PlacementStrategy.PACK;
        private Dataset train;
        private final Map<String, Dataset> evals = new LinkedHashMap<>();
        private int checkpointEvery = 10;
        private Path checkpointDir;
        private Checkpoint resumeFrom;
        private int maxFailures = 3;
        private Duration collectiveTimeout = Duration.ofMinutes(5);
        private String bindHost = "127.0.0.1";

        private Builder(Weft weft) {
            this.weft = Objects.requireNonNull(weft, "weft");
        }

        /** XGBoost's booster parameters ({@code objective}, {@code max_depth}, {@code eta}, {@code eval_metric}, ...). */
        public Builder params(Map<String, ?> params) {
            Objects.requireNonNull(params, "params").forEach(this::param);
            return this;
        }

        /** One booster parameter; the value must be a string, number or boolean. */
        public Builder param(String name, Object value) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("parameter name must not be blank");
            }
            if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                throw new IllegalArgumentException("parameter '" + name + "' must be a string, number or boolean, got "
                        + (value == null ? "null" : value.getClass().getName()));
            }
            params.put(name, value);
            return this;
        }

        /** Boosting rounds in all (a resumed training runs the rounds after its checkpoint's). Default 10. */
        public Builder numRounds(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("numRounds must be >= 1, got " + n);
            }
            numRounds = n;
            return this;
        }

        public Builder labelColumn(String column) {
            if (column == null || column.isBlank()) {
                throw new IllegalArgumentException("labelColumn must not be blank");
            }
            label = column;
            return this;
        }

        /** The feature columns, in order; default every column of the training data but the label. */
        public Builder featureColumns(String... columns) {
            return featureColumns(List.of(columns));
        }

        public Builder featureColumns(List<String> columns) {
            if (columns.stream().anyMatch(c -> c == null || c.isBlank())) {
                throw new IllegalArgumentException("feature column names must not be blank, got " + columns);
            }
            if (columns.stream().distinct().count() != columns.size()) {
                throw new IllegalArgumentException("feature columns must be distinct, got " + columns);
            }
            featureColumns = List.copyOf(columns);
            return this;
        }

        public Builder numWorkers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("numWorkers must be >= 1, got " + n);
            }
            numWorkers = n;
            return this;
        }

        /** What each worker reserves (default 1 CPU); {@code nthread} defaults to its whole CPUs. */
        public Builder resourcesPerWorker(Bundle bundle) {
            resourcesPerWorker = Objects.requireNonNull(bundle, "resourcesPerWorker");
            return this;
        }

        /** How workers spread over nodes (default PACK; STRICT_SPREAD puts one per node). */
        public Builder placementStrategy(PlacementStrategy s) {
            strategy = Objects.requireNonNull(s, "placementStrategy");
            return this;
        }

        /** The training data. */
        public Builder dataset(Dataset train) {
            this.train = Objects.requireNonNull(train, "dataset");
            return this;
        }

        /** A dataset evaluated after every round under {@code name} (metrics {@code name-<metric>}). */
        public Builder evalDataset(String name, Dataset data) {
            if (name == null || name.isBlank() || name.equals("train") || name.contains("-")) {
                throw new IllegalArgumentException("eval dataset name must be non-blank, not 'train' and without '-', got '"
                        + name + "'");
            }
            evals.put(name, Objects.requireNonNull(data, "eval dataset '" + name + "'"));
            return this;
        }

        /** Rank 0 reports a checkpoint every {@code n} rounds (default 10) and at the end. */
        public Builder checkpointEvery(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("checkpointEvery must be >= 1, got " + n);
            }
            checkpointEvery = n;
            return this;
        }

        /**
         * Also write each checkpoint to {@code dir} as {@code checkpoint-<round>.ubj}: rank 0 sends them to the
         * trainer's process, which writes them, so on a cluster the directory is the driver's.
         * {@link Checkpoint#latest(Path)} reads it back.
         */
        public Builder checkpointDir(Path dir) {
            checkpointDir = Objects.requireNonNull(dir, "checkpointDir");
            return this;
        }

        /** Continue a training from {@code checkpoint}: its trees are kept and rounds start at its round. */
        public Builder resumeFrom(Checkpoint checkpoint) {
            resumeFrom = Objects.requireNonNull(checkpoint, "resumeFrom");
            return this;
        }

        /** How many times a group whose worker died is restarted from the latest checkpoint (default 3). */
        public Builder maxFailures(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxFailures must be >= 0, got " + n);
            }
            maxFailures = n;
            return this;
        }

        /** How long XGBoost's collectives wait for a peer before failing (default 5 minutes). */
        public Builder collectiveTimeout(Duration timeout) {
            if (timeout == null || timeout.toSeconds() < 1) {
                throw new IllegalArgumentException("collectiveTimeout must be at least 1 s, got " + timeout);
            }
            collectiveTimeout = timeout;
            return this;
        }

        /**
         * The address the workers' rendezvous, XGBoost's tracker and the trainer's checkpoint listener bind to
         * (default 127.0.0.1, for the embedded cluster and one host; "0.0.0.0" across hosts).
         */
        public Builder bindHost(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("bindHost must not be blank");
            }
            bindHost = host;
            return this;
        }

        public XGBoostTrainer build() {
            if (train == null) {
                throw new IllegalArgumentException("no training dataset: call dataset(...)");
            }
            if (label == null) {
                throw new IllegalArgumentException("no label column: call labelColumn(...)");
            }
            if (resumeFrom != null && resumeFrom.round() > numRounds) {
                throw new IllegalArgumentException("resumeFrom holds " + resumeFrom.round() + " rounds, more than numRounds "
                        + numRounds);
            }
            return new XGBoostTrainer(this);
        }
    }
}
