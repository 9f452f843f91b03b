package dev.weft.spill;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Appends to one new spill file. Confined to one thread. Nothing written is durable until {@link #commit()}
 * returns; after a failure call {@link #abort()}, which removes the partial file.
 */
public interface SpillWriter extends AutoCloseable {

    /** Bytes written so far (the offset the next write lands at). */
    long position();

    /** Appends all of {@code source}. */
    void write(MemorySegment source) throws IOException;

    /** Flushes, forces local files to disk, and closes. The file is complete and durable when this returns. */
    void commit() throws IOException;

    /** Closes and deletes the partial file, best effort; never throws. Idempotent, and a no-op after commit. */
    void abort();

    @Override
    default void close() {
        abort();
    }
}
