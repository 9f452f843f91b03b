package dev.weft.connectors.internal;

import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Pulls Arrow batches out of one read fragment. Not thread-safe: one consumer thread. Each returned batch belongs
 * to the caller, who closes it; {@link #close()} releases the reader's files and is idempotent.
 */
public interface BatchReader extends AutoCloseable {
    /** The next batch, or {@code null} when the fragment is exhausted. */
    VectorSchemaRoot next();

    @Override
    void close();
}
