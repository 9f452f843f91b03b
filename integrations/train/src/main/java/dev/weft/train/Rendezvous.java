package dev.weft.train;

import dev.weft.api.ErrorType;
import dev.weft.gang.GroupContext;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.RabitTracker;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * How a training run's workers agree to start, over the worker group's own sockets (level 1, out of band): every
 * rank reads its shard, then tells rank 0 whether it could; rank 0 starts XGBoost's collective tracker only when
 * every rank could, and sends each the tracker's worker arguments — or sends them all the failure, so no worker
 * waits in XGBoost for a peer that will never come. The tracker runs in rank 0's process, on the address the group
 * advertises for rank 0, so the same code works on the embedded cluster and across hosts.
 */
final class Rendezvous {
    private Rendezvous() {
    }

    /** Rank 0's side: the started tracker and the worker arguments, or an exception naming the rank that failed. */
    static Lead lead(GroupContext ctx, String ownFailure, int timeoutSeconds) throws IOException, InterruptedException {
        List<SocketChannel> peers = new ArrayList<>();
        for (int r = 1; r < ctx.worldSize(); r++) {
            peers.add(ctx.connect(r));
        }
        String failure = ownFailure == null ? null : "rank 0: " + ownFailure;
        for (int r = 1; r < ctx.worldSize() && failure == null; r++) {
            DataInputStream in = new DataInputStream(Channels.newInputStream(peers.get(r - 1)));
            if (!in.readBoolean()) {
                failure = "rank " + r + ": " + in.readUTF();
            }
        }
        RabitTracker tracker = null;
        Map<String, Object> args = null;
        if (failure == null) {
            try {
                String host = ctx.addresses().getFirst().getHostString();
                tracker = new RabitTracker(ctx.worldSize(), host, 0, timeoutSeconds);
                tracker.start();
                args = new LinkedHashMap<>(tracker.getWorkerArgs());
            } catch (XGBoostError e) {
                failure = "rank 0 could not start XGBoost's tracker: " + e.getMessage();
                if (tracker != null) {
                    stopQuietly(tracker);
                    tracker = null;
                }
            }
        }
        for (SocketChannel peer : peers) {
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(peer));
            if (failure == null) {
                out.writeBoolean(true);
                writeArgs(out, args);
                out.flush();
            } else {
                try {
                    out.writeBoolean(false);
                    out.writeUTF(truncate(failure));
                    out.flush();
                } catch (IOException gone) {
                    // the rank that failed has already left; the others still hear why they do not start
                }
            }
        }
        if (failure != null) {
            throw new TrainingException(ErrorType.USER_ERROR, "training did not start: " + failure, null);
        }
        return new Lead(tracker, args);
    }

    /** Another rank's side: reports whether its shard was read and returns the tracker's worker arguments. */
    static Map<String, Object> follow(GroupContext ctx, String ownFailure) throws IOException {
        SocketChannel lead = ctx.accept(0);
        DataOutputStream out = new DataOutputStream(Channels.newOutputStream(lead));
        out.writeBoolean(ownFailure == null);
        if (ownFailure != null) {
            out.writeUTF(truncate(ownFailure));
        }
        out.flush();
        if (ownFailure != null) {
            return null;
        }
        DataInputStream in = new DataInputStream(Channels.newInputStream(lead));
        if (!in.readBoolean()) {
            throw new TrainingException(ErrorType.USER_ERROR, "training did not start: " + in.readUTF(), null);
        }
        return readArgs(in);
    }

    /** The tracker rank 0 started (it frees it when training ends) and what every worker needs to join it. */
    record Lead(RabitTracker tracker, Map<String, Object> args) {
    }

    static void stopQuietly(RabitTracker tracker) {
        try {
            tracker.stop();
        } catch (XGBoostError ignored) {
            // the tracker's threads end with it either way
        }
    }

    private static String truncate(String s) {
        return s.length() > 8_000 ? s.substring(0, 8_000) + " ..." : s; // writeUTF takes at most 64 KiB
    }

    private static void writeArgs(DataOutputStream out, Map<String, Object> args) throws IOException {
        out.writeInt(args.size());
        for (Map.Entry<String, Object> e : args.entrySet()) {
            out.writeUTF(e.getKey());
            if (e.getValue() instanceof Number n) {
                out.writeBoolean(true);
                out.writeLong(n.longValue());
            } else {
                out.writeBoolean(false);
                out.writeUTF(String.valueOf(e.getValue()));
            }
        }
    }

    private static Map<String, Object> readArgs(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = in.readUTF();
            args.put(key, in.readBoolean() ? (Object) in.readLong() : in.readUTF());
        }
        return args;
    }
}
