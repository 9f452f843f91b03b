package dev.weft.train;

import dev.weft.api.ErrorType;
import dev.weft.data.DataIterator;
import dev.weft.gang.GroupContext;
import dev.weft.gang.MemberFn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.Communicator;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.RabitTracker;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * What each member of the worker group runs for one training attempt: read its shard of every dataset from its
 * {@link DataIterator}, agree with the others to start ({@link Rendezvous}), then train on a platform thread of its
 * own. XGBoost's communicator is a C++ {@code thread_local}, so every XGBoost call of a worker happens on that one
 * thread (a virtual thread may change carriers between calls) — which is also why two workers may share a JVM.
 * The actor's thread meanwhile sends rank 0's checkpoints to the driver's {@link CheckpointSink}; when it
 * is interrupted (the group cancels a run after another member failed) it raises a flag that the workers reduce
 * after every round, so they all stop together at a round boundary instead of waiting in a collective for a
 * worker that left.
 */
record TrainingRun(TrainSpec spec, List<DataIterator> train, Map<String, List<DataIterator>> evals,
                   Checkpoint start) implements MemberFn<Void, WorkerReport> {

    private sealed interface Event permits Saved, Done, Failed {
    }

    private record Saved(Checkpoint checkpoint) implements Event {
    }

    private record Done(WorkerReport report) implements Event {
    }

    private record Failed(Throwable error) implements Event {
    }

    @Override
    public WorkerReport run(Void state, GroupContext ctx) throws Exception {
        int rank = ctx.rank();
        Shard shard = null;
        Map<String, Shard> evalShards = new LinkedHashMap<>();
        RuntimeException readError = null;
        try {
            shard = Shard.read(train.get(rank), "train", spec.label(), spec.features());
            for (Map.Entry<String, List<DataIterator>> e : evals.entrySet()) {
                evalShards.put(e.getKey(), Shard.read(e.getValue().get(rank), e.getKey(), spec.label(), spec.features()));
            }
        } catch (RuntimeException e) {
            readError = e;
        }
        CheckpointSink.Sender sink = null;
        if (rank == 0 && readError == null) {
            try {
                sink = new CheckpointSink.Sender(spec.checkpointSink());
            } catch (java.io.IOException e) {
                readError = new TrainingException(ErrorType.SYSTEM_FAILURE, "rank 0 cannot reach the trainer's checkpoint"
                        + " listener at " + spec.checkpointSink() + " (set bindHost to an address the nodes can reach): "
                        + e, e);
            }
        }
        String failure = readError == null ? null : readError.getMessage();
        Rendezvous.Lead lead = null;
        Map<String, Object> args = null;
        try {
            if (ctx.worldSize() > 1) {
                if (rank == 0) {
                    lead = Rendezvous.lead(ctx, failure, spec.timeoutSeconds());
                    args = lead.args();
                } else {
                    args = Rendezvous.follow(ctx, failure);
                }
            }
            if (readError != null) {
                throw readError;
            }
        } catch (Exception e) {
            if (sink != null) {
                sink.close();
            }
            throw e;
        }
        AtomicBoolean abort = new AtomicBoolean();
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Shard trainShard = shard;
        Map<String, Object> workerArgs = args;
        RabitTracker tracker = lead == null ? null : lead.tracker();
        Thread.ofPlatform().daemon().name("xgboost-worker-rank-" + rank).start(() -> {
            try {
                events.put(new Done(train(ctx.rank(), ctx.worldSize(), trainShard, evalShards, workerArgs, tracker,
                        abort, events)));
            } catch (Throwable e) {
                events.add(new Failed(e));
            }
        });
        boolean finished = false;
        try (CheckpointSink.Sender checkpoints = sink) {
            while (true) {
                Event event = events.take();
                switch (event) {
                    case Saved s -> checkpoints.send(s.checkpoint());
                    case Done d -> {
                        finished = true;
                        return d.report();
                    }
                    case Failed f -> {
                        finished = true;
                        if (f.error() instanceof Exception e) {
                            throw e;
                        }
                        throw (Error) f.error();
                    }
                }
            }
        } finally {
            if (!finished) {
                abort.set(true);
            }
        }
    }

    /** Runs on the worker's own platform thread: every XGBoost call of this worker happens here. */
    private WorkerReport train(int rank, int worldSize, Shard shard, Map<String, Shard> evalShards,
                               Map<String, Object> trackerArgs, RabitTracker tracker, AtomicBoolean abort,
                               BlockingQueue<Event> events) throws XGBoostError, InterruptedException {
        long t0 = System.nanoTime();
        List<DMatrix> matrices = new ArrayList<>();
        Booster booster = null;
        boolean joined = false;
        try {
            if (worldSize > 1) {
                Map<String, Object> config = new HashMap<>(trackerArgs);
                config.put("dmlc_task_id", "rank-" + rank);
                config.put("dmlc_timeout_sec", spec.timeoutSeconds());
                Communicator.init(config);
                joined = true;
            }
            Map<String, DMatrix> watches = new LinkedHashMap<>();
            DMatrix dtrain = matrix(shard, matrices);
            watches.put("train", dtrain);
            for (Map.Entry<String, Shard> e : evalShards.entrySet()) {
                watches.put(e.getKey(), matrix(e.getValue(), matrices));
            }
            Map<String, Object> params = new HashMap<>(spec.params());
            if (start == null) {
                booster = XGBoost.train(dtrain, params, 0, watches, null, null);
            } else {
                booster = start.booster();
                booster.setParams(params);
            }
            DMatrix[] evalMats = watches.values().toArray(DMatrix[]::new);
            String[] evalNames = watches.keySet().toArray(String[]::new);
            int first = start == null ? 0 : start.round();
            List<Map<String, Double>> metrics = new ArrayList<>();
            for (int round = first; round < spec.numRounds(); round++) {
                booster.update(dtrain, round);
                metrics.add(parseMetrics(booster.evalSet(evalMats, evalNames, round)));
                int done = round + 1;
                if (rank == 0 && done < spec.numRounds() && done % spec.checkpointEvery() == 0) {
                    events.put(new Saved(Checkpoint.of(booster)));
                }
                boolean stop = abort.get();
                if (worldSize > 1) {
                    stop = Communicator.allReduce(new float[] {stop ? 1f : 0f}, Communicator.OpType.MAX)[0] > 0f;
                }
                if (stop) {
                    throw new TrainingException(ErrorType.CANCELLED, "rank " + rank
                            + " stopped after round " + done + ": the run was cancelled", null);
                }
            }
            Checkpoint model = rank == 0 ? Checkpoint.of(booster) : null;
            return new WorkerReport(rank, shard.rows(), shard.readNanos(), System.nanoTime() - t0, first, metrics, model);
        } finally {
            if (booster != null) {
                booster.dispose();
            }
            matrices.forEach(DMatrix::dispose);
            if (joined) {
                try {
                    Communicator.shutdown();
                } catch (XGBoostError e) {
                    // a peer already left (the run failed): the failure that ended training is the one to report
                }
            }
            if (tracker != null) {
                try {
                    tracker.waitFor(spec.timeoutSeconds());
                } catch (XGBoostError ignored) {
                    // a worker never said goodbye (it failed): stop the tracker anyway
                }
                Rendezvous.stopQuietly(tracker);
            }
        }
    }

    private static DMatrix matrix(Shard shard, List<DMatrix> owned) throws XGBoostError {
        DMatrix m = new DMatrix(shard.features(), shard.rows(), shard.columns(), Float.NaN);
        owned.add(m);
        m.setLabel(shard.rows() == shard.labels().length ? shard.labels()
                : java.util.Arrays.copyOf(shard.labels(), shard.rows()));
        return m;
    }

    /** {@code "[3]\ttrain-logloss:0.2\tvalid-error:0.1"} as {@code {train-logloss=0.2, valid-error=0.1}}. */
    static Map<String, Double> parseMetrics(String evalInfo) {
        Map<String, Double> out = new LinkedHashMap<>();
        String[] parts = evalInfo.strip().split("\t");
        for (int i = 1; i < parts.length; i++) {
            int colon = parts[i].lastIndexOf(':');
            if (colon > 0) {
                out.put(parts[i].substring(0, colon), Double.parseDouble(parts[i].substring(colon + 1)));
            }
        }
        return out;
    }
}
