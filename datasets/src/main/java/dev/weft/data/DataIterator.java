package dev.weft.data;

import dev.weft.api.ActorHandle;
import dev.weft.data.internal.arrow.DataAllocators;
import dev.weft.data.internal.exec.BatchRows;
import dev.weft.data.internal.exec.OwnedBatches;
import dev.weft.data.internal.exec.Rebatcher;
import dev.weft.data.internal.ops.SplitCoordinator;
import java.io.Serializable;
import java.util.NoSuchElementException;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One of the {@code n} outputs of {@link Dataset#streamingSplit}: the rows one consumer reads while the others
 * read theirs, all fed by one shared execution. A serializable handle on the split coordinator actor plus a
 * split index, so it may be passed to tasks and actors; the blocks themselves travel through the object store
 * (the coordinator hands out block refs, the consumer fetches the block).
 *
 * <p>One pass: the split ends when the execution is exhausted; iterating again after that yields nothing.
 * Use one iterator at a time per split (a split's blocks go to whoever asks for them). Closing an iterator
 * before its end gives up the rest of that split (its rows go to the other splits, or with {@code equal} to
 * nobody). The iterators returned are not thread-safe; the handle is.
 */
public final class DataIterator implements Serializable {
    private final ActorHandle<SplitCoordinator> coordinator;
    private final int split;
    private final int splits;

    DataIterator(ActorHandle<SplitCoordinator> coordinator, int split, int splits) {
        this.coordinator = coordinator;
        this.split = split;
        this.splits = splits;
    }

    /** This split's index in {@code [0, n)}. */
    public int split() {
        return split;
    }

    /** This split's blocks as they come, each valid until the next {@code hasNext()}/{@code next()} or close. */
    public CloseableIterator<VectorSchemaRoot> iterBatches() {
        return new OwnedBatches(new Blocks());
    }

    /** This split's rows in batches of {@code batchSize} (the last may be smaller). */
    public CloseableIterator<VectorSchemaRoot> iterBatches(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        return new OwnedBatches(new Rebatcher(new Blocks(), batchSize, DataAllocators.current()));
    }

    /** This split's rows one at a time (boxed). */
    public CloseableIterator<Row> iterRows() {
        return new BatchRows(iterBatches());
    }

    @Override
    public String toString() {
        return "DataIterator[split " + split + " of " + splits + ", coordinator " + coordinator.actorId() + "]";
    }

    /** Pulls block refs from the coordinator; hands out batches the caller owns. */
    private final class Blocks implements CloseableIterator<VectorSchemaRoot> {
        private VectorSchemaRoot ahead;
        private boolean ended;

        @Override
        public boolean hasNext() {
            if (ahead != null) {
                return true;
            }
            if (ended) {
                return false;
            }
            SplitCoordinator.Next next;
            try {
                next = coordinator.task(SplitCoordinator::next, split).remote().get();
            } catch (RuntimeException e) {
                ended = true;
                closeSplit();
                throw e;
            }
            if (next.end()) {
                ended = true;
                closeSplit();
                return false;
            }
            try {
                ahead = next.block().ref().get();
            } finally {
                next.block().ref().close();
            }
            return true;
        }

        @Override
        public VectorSchemaRoot next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            VectorSchemaRoot b = ahead;
            ahead = null;
            return b;
        }

        @Override
        public void close() {
            if (ahead != null) {
                ahead.close();
                ahead = null;
            }
            if (!ended) {
                ended = true;
                closeSplit();
            }
        }

        /** Tells the coordinator this split is done, without waiting: after this the actor may go away. */
        private void closeSplit() {
            coordinator.task(SplitCoordinator::close, split).remote().close();
        }
    }
}
