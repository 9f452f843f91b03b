package dev.weft.data.internal.exec;

import dev.weft.api.ActorDiedException;
import dev.weft.api.ObjectLostException;
import dev.weft.api.TaskFailedException;
import dev.weft.api.WeftException;
import dev.weft.api.WorkerCrashedException;
import dev.weft.api.NodeInfo;
import dev.weft.api.Weft;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an exchange again when an attempt failed because a node went away. The engine retries the tasks that were
 * running on a dead node, but a shuffle piece or partial state is put by the task that made it, and such objects
 * die with their node (lineage can only rebuild task results). The exchange's driver knows the whole lineage of
 * its pieces — they all come from its input blocks — so it starts over from the inputs, provided every input it
 * consumed is still readable (see {@link BlockSource#release}); otherwise the failure propagates. When the failure
 * names one of its input blocks as lost, a new attempt would fail on it again: it propagates at once, so that the job
 * runs again from its sources ({@link JobAttempts}) and the stage that made the block makes it again. Lost work that
 * propagates is a retriable {@code SYSTEM_FAILURE}, never the {@code USER_ERROR} of the task that read the lost block.
 */
public final class ExchangeAttempts {
    /** Attempts of one exchange before a lost-object failure propagates. */
    static final int MAX_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeAttempts.class);
    /** An object id as the engine prints it in a lost object's message. */
    private static final Pattern OBJECT_ID = Pattern.compile("obj-[0-9a-f]{16}");
    /** Attempts started again in this process, for tests and logs. */
    static final java.util.concurrent.atomic.AtomicLong RESTARTS = new java.util.concurrent.atomic.AtomicLong();

    private ExchangeAttempts() {
    }

    /** Whether {@code t} says that a node, worker or object went away (so a new attempt can succeed). */
    public static boolean lostWork(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ActorDiedException && c.getCause() instanceof TaskFailedException) {
                continue; // its constructor threw: lost work only if what it threw says so (user code throws again)
            }
            if (c instanceof ObjectLostException || c instanceof WorkerCrashedException || c instanceof ActorDiedException) {
                return true;
            }
            if (c instanceof TaskFailedException f && f.originalClassName() != null
                    && (f.originalClassName().endsWith("ObjectLostException")
                    || f.originalClassName().endsWith("WorkerCrashedException"))) {
                return true;
            }
            if (c instanceof WeftException w && !(c instanceof TaskFailedException) && w.isRetryable()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code attempt} over {@code source}, and again over the same input blocks when it fails with lost work
     * and every block it consumed is still readable.
     */
    static List<BlockRef> run(Weft weft, String operator, BlockSource source,
                              Function<BlockSource, List<BlockRef>> attempt) {
        return run(weft, operator, List.of(source), sources -> attempt.apply(sources.getFirst()));
    }

    /**
     * Like {@link #run(Weft, String, BlockSource, Function)} for an exchange with several inputs (a join's two
     * sides): a new attempt reads every input again from its first block, so it needs every block consumed from any
     * of them to be still readable. When one was freed (an input streamed from an upstream pipeline, whose blocks are
     * released once mapped) the lost-work failure propagates, with a note saying why it was not retried.
     *
     * <p>An attempt can also succeed and still have lost work: output blocks a reducer put on a node that died
     * before the attempt ended are gone, and have no lineage to rebuild them from. So when a node died while an
     * attempt ran, each of its output blocks is read once before the attempt counts; a lost one makes the attempt a
     * lost-work failure like any other.
     */
    static List<BlockRef> run(Weft weft, String operator, List<BlockSource> sources,
                              Function<List<BlockSource>, List<BlockRef>> attempt) {
        List<Replay> replays = sources.stream().map(Replay::new).toList();
        for (int n = 1; ; n++) {
            try {
                replays.forEach(Replay::restart);
                Set<String> alive = aliveNodes(weft);
                List<BlockRef> out = attempt.apply(List.copyOf(replays));
                if (!aliveNodes(weft).containsAll(alive)) {
                    checkReadable(operator, out);
                }
                return out;
            } catch (RuntimeException e) {
                if (!lostWork(e)) {
                    throw e;
                }
                List<String> lostInputs = lostInputs(e, replays);
                if (!lostInputs.isEmpty()) {
                    // Starting over from a dead input would only fail on it again: the blocks must be made again by
                    // the stage that produced them, which only a new run of the whole job does.
                    String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                    throw new ObjectLostException(operator + " lost its input block(s) " + lostInputs + " with a "
                            + "node; they have no lineage, so the exchange cannot start again from them and the job "
                            + "must run again from its sources; first failure: " + why, e);
                }
                boolean replayable = replays.stream().allMatch(r -> r.replayable);
                if (n >= MAX_ATTEMPTS || !replayable) {
                    throw systemFailure(operator + (replayable ? " lost work with a node in each of its "
                            + MAX_ATTEMPTS + " attempts" : " lost work with a node and was not started again: input "
                            + "blocks it had consumed were already freed (streamed from an upstream pipeline); the job "
                            + "must run again from its sources, or materialize the exchange's inputs to make it "
                            + "restartable on its own"), e);
                }
                String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                LOG.warn("{}: attempt {} of {} lost work ({}); starting again from its {} input blocks",
                        operator, n, MAX_ATTEMPTS, why, replays.stream().mapToInt(r -> r.taken.size()).sum());
                RESTARTS.incrementAndGet();
            }
        }
    }

    /**
     * {@code lost} as a retriable failure that says what happened. A task that read a lost object fails with a
     * {@link TaskFailedException}, typed as the user's error, although a node's death is a system failure that a new
     * run of the job mends: such a failure is wrapped in an {@link ObjectLostException}; a failure already typed as
     * retriable is thrown as it is, with {@code message} as a suppressed note.
     */
    static WeftException systemFailure(String message, RuntimeException lost) {
        if (lost instanceof WeftException w && !(lost instanceof TaskFailedException) && w.isRetryable()) {
            w.addSuppressed(new IllegalStateException(message));
            return w;
        }
        String why = String.valueOf(lost.getMessage()).lines().findFirst().orElse("");
        return new ObjectLostException(message + "; first failure: " + why, lost);
    }

    /** The ids of the input blocks taken so far that {@code failure} (or one of its causes) names as lost. */
    private static List<String> lostInputs(Throwable failure, List<Replay> replays) {
        Set<String> named = new HashSet<>();
        for (Throwable c = failure; c != null; c = c.getCause()) {
            collectObjectIds(c.getMessage(), named);
            if (c instanceof TaskFailedException f) {
                collectObjectIds(f.originalMessage(), named);
            }
        }
        List<String> lost = new ArrayList<>();
        for (Replay r : replays) {
            for (BlockRef b : r.taken) {
                if (named.contains(b.ref().id())) {
                    lost.add(b.ref().id());
                }
            }
        }
        return lost;
    }

    /** Adds every object id ({@code obj-} and 16 hex digits, as the engine prints them) found in {@code text}. */
    private static void collectObjectIds(String text, Set<String> into) {
        if (text == null) {
            return;
        }
        Matcher m = OBJECT_ID.matcher(text);
        while (m.find()) {
            into.add(m.group());
        }
    }

    private static Set<String> aliveNodes(Weft weft) {
        Set<String> ids = new HashSet<>();
        for (NodeInfo n : weft.nodes()) {
            if (n.alive()) {
                ids.add(n.nodeId());
            }
        }
        return ids;
    }

    /** Reads every block of {@code out} once; on a failure frees them all (what is left of them) and throws it. */
    private static void checkReadable(String operator, List<BlockRef> out) {
        for (BlockRef b : out) {
            try (VectorSchemaRoot ignored = b.ref().get()) {
                // readable
            } catch (RuntimeException e) {
                for (BlockRef x : out) {
                    try {
                        x.ref().close();
                    } catch (RuntimeException closing) {
                        e.addSuppressed(closing);
                    }
                }
                LOG.warn("{}: a node died while it ran and output block {} cannot be read", operator, b.ref().id());
                throw e;
            }
        }
        LOG.info("{}: a node died while it ran; all {} output blocks are still readable", operator, out.size());
    }

    /** Remembers the blocks taken from a source so that a later attempt reads them again first. */
    private static final class Replay implements BlockSource {
        private final BlockSource source;
        private final List<BlockRef> taken = new ArrayList<>();
        private int position;
        private boolean replayable = true;

        Replay(BlockSource source) {
            this.source = source;
        }

        Replay restart() {
            position = 0;
            return this;
        }

        @Override
        public boolean hasNext() {
            return position < taken.size() || source.hasNext();
        }

        @Override
        public BlockRef next() {
            if (position < taken.size()) {
                return taken.get(position++);
            }
            BlockRef b = source.next();
            taken.add(b);
            position++;
            return b;
        }

        @Override
        public boolean release(BlockRef block) {
            boolean kept = source.release(block);
            replayable &= kept;
            return kept;
        }
    }
}
