package dev.weft.data.internal.exec;

import dev.weft.api.ActorDiedException;
import dev.weft.api.ObjectLostException;
import dev.weft.api.TaskFailedException;
import dev.weft.api.WeftException;
import dev.weft.api.WorkerCrashedException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an exchange again when an attempt failed because a node went away. The engine retries the tasks that were
 * running on a dead node, but a shuffle piece or partial state is put by the task that made it, and such objects
 * die with their node (lineage can only rebuild task results). The exchange's driver knows the whole lineage of
 * its pieces — they all come from its input blocks — so it starts over from the inputs, provided every input it
 * consumed is still readable (see {@link BlockSource#release}); otherwise the failure propagates.
 */
public final class ExchangeAttempts {
    /** Attempts of one exchange before a lost-object failure propagates. */
    static final int MAX_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeAttempts.class);
    /** Attempts started again in this process, for tests and logs. */
    static final java.util.concurrent.atomic.AtomicLong RESTARTS = new java.util.concurrent.atomic.AtomicLong();

    private ExchangeAttempts() {
    }

    /** Whether {@code t} says that a node, worker or object went away (so a new attempt can succeed). */
    static boolean lostWork(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
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
    static <T> T run(String operator, BlockSource source, Function<BlockSource, T> attempt) {
        return run(operator, List.of(source), sources -> attempt.apply(sources.getFirst()));
    }

    /**
     * Like {@link #run(String, BlockSource, Function)} for an exchange with several inputs (a join's two sides):
     * a new attempt reads every input again from its first block, so it needs every block consumed from any of them
     * to be still readable. When one was freed (an input streamed from an upstream pipeline, whose blocks are
     * released once mapped) the lost-work failure propagates, with a note saying why it was not retried.
     */
    static <T> T run(String operator, List<BlockSource> sources, Function<List<BlockSource>, T> attempt) {
        List<Replay> replays = sources.stream().map(Replay::new).toList();
        for (int n = 1; ; n++) {
            try {
                replays.forEach(Replay::restart);
                return attempt.apply(List.copyOf(replays));
            } catch (RuntimeException e) {
                boolean replayable = replays.stream().allMatch(r -> r.replayable);
                if (!lostWork(e) || n >= MAX_ATTEMPTS || !replayable) {
                    if (lostWork(e) && !replayable) {
                        e.addSuppressed(new IllegalStateException(operator + " lost work but was not started again: "
                                + "input blocks it had consumed were already freed (streamed from an upstream "
                                + "pipeline); materialize its inputs to make it restartable"));
                    }
                    throw e;
                }
                String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                LOG.warn("{}: attempt {} of {} lost work ({}); starting again from its {} input blocks",
                        operator, n, MAX_ATTEMPTS, why, replays.stream().mapToInt(r -> r.taken.size()).sum());
                RESTARTS.incrementAndGet();
            }
        }
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
