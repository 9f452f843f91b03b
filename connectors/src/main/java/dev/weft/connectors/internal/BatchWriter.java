package dev.weft.connectors.internal;

import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Writes Arrow batches of one schema to one file. Not thread-safe. Batches stay owned by the caller. The file is
 * complete only after {@link #close()}, which is idempotent.
 */
public interface BatchWriter extends AutoCloseable {
    void write(VectorSchemaRoot batch);

    /** Rows written so far. */
    long rows();

    @Override
    void close();
}
