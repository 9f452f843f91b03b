package dev.weft.data;

import dev.weft.data.internal.arrow.Batches;
import java.io.Serializable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A function over Arrow batches for {@link Dataset#mapBatches}: takes a batch, returns a batch. Either a
 * serializable lambda (stateless, run in tasks) or a class built once per actor by a constructor reference
 * ({@code mapBatches(Scorer::new, MapBatches.actors(2, 8))}).
 *
 * <p>Ownership: the engine owns {@code batch} and closes it after the call; the function must not keep it.
 * The returned batch becomes the engine's (it may be {@code batch} itself, or share its vectors); new vectors
 * are allocated from {@link #allocator(VectorSchemaRoot)}. Every returned column must have the returned
 * batch's row count, and every call must return the same schema — otherwise the operator fails naming
 * the column. One instance is called by one thread at a time.
 */
@FunctionalInterface
public interface BatchFunction extends Serializable {
    VectorSchemaRoot apply(VectorSchemaRoot batch) throws Exception;

    /** The allocator to create output vectors from: the one the batch lives in. */
    static BufferAllocator allocator(VectorSchemaRoot batch) {
        return Batches.allocatorOf(batch);
    }
}
