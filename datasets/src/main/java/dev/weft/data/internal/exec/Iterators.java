package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Small building blocks for batch streams that own their batches. */
public final class Iterators {
    private Iterators() {
    }

    /** A transform that maps each input batch to zero or one output batch (returning {@code null} drops it). */
    public interface BatchMapper {
        VectorSchemaRoot map(VectorSchemaRoot in) throws Exception;
    }

    /**
     * A stream applying {@code mapper} to each batch of {@code input}; the mapper owns (and must close or
     * return) its input batch.
     */
    public static CloseableIterator<VectorSchemaRoot> map(CloseableIterator<VectorSchemaRoot> input, BatchMapper mapper) {
        return pull(() -> {
            while (input.hasNext()) {
                VectorSchemaRoot out;
                try {
                    out = mapper.map(input.next());
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new StageFailure(e);
                }
                if (out != null) {
                    return out;
                }
            }
            return null;
        }, input::close);
    }

    /**
     * A stream whose batches come from {@code next} (null once there are no more); closing closes a batch fetched
     * but not handed out, then runs {@code onClose}.
     */
    public static CloseableIterator<VectorSchemaRoot> pull(java.util.function.Supplier<VectorSchemaRoot> next,
                                                           Runnable onClose) {
        return new CloseableIterator<>() {
            private VectorSchemaRoot ahead;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (ahead == null && !ended) {
                    ahead = next.get();
                    ended = ahead == null;
                }
                return ahead != null;
            }

            @Override
            public VectorSchemaRoot next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                VectorSchemaRoot r = ahead;
                ahead = null;
                return r;
            }

            @Override
            public void close() {
                if (ahead != null) {
                    ahead.close();
                    ahead = null;
                }
                ended = true;
                onClose.run();
            }
        };
    }

    /** A stream over batches already in memory; it closes those not consumed. */
    public static CloseableIterator<VectorSchemaRoot> of(Iterable<VectorSchemaRoot> batches) {
        ArrayDeque<VectorSchemaRoot> q = new ArrayDeque<>();
        batches.forEach(q::add);
        return new CloseableIterator<>() {
            @Override
            public boolean hasNext() {
                return !q.isEmpty();
            }

            @Override
            public VectorSchemaRoot next() {
                if (q.isEmpty()) {
                    throw new NoSuchElementException();
                }
                return q.poll();
            }

            @Override
            public void close() {
                while (!q.isEmpty()) {
                    q.poll().close();
                }
            }
        };
    }

    /** Wraps a plain iterator whose source needs no closing. */
    public static <T> CloseableIterator<T> wrap(Iterator<T> it, Runnable onClose) {
        return new CloseableIterator<>() {
            private boolean closed;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public T next() {
                return it.next();
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    onClose.run();
                }
            }
        };
    }

    /** A checked exception of a user function, carried through {@link Iterator} methods. */
    public static final class StageFailure extends RuntimeException {
        public StageFailure(Throwable cause) {
            super(cause);
        }
    }
}
