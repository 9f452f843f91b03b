package dev.weft.data;

import java.io.IOException;
import java.io.Serializable;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One unit of reading, made on the driver by {@link Datasource#getReadTasks} and run inside a Weft task,
 * possibly on another node and possibly more than once (retries): {@link #read} must be repeatable and must
 * not depend on driver state. Must be serializable with everything it holds.
 */
public interface ReadTask extends Serializable {
    ReadTaskMetadata metadata();

    /**
     * Opens the task's input and yields its rows as Arrow batches allocated from {@code context.allocator()}.
     * Each {@code next()} returns a new root that the caller owns and closes; the task never touches a root
     * again after yielding it. The caller closes the iterator (also after an error or an early stop). Batches
     * should be of roughly {@code context.dataContext().targetMaxBlockSizeBytes()} or less; the engine
     * coalesces small ones. Errors name the file (and row group, line or column) at fault; with
     * {@code ignoreCorruptFiles} a corrupt file is skipped and reported through
     * {@link ReadContext#recordCorruptFileSkipped} instead.
     */
    CloseableIterator<VectorSchemaRoot> read(ReadContext context) throws IOException;
}
