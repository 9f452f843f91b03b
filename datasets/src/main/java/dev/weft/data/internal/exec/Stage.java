package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import java.io.Serializable;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One transform of a fused physical operator, run inside a task or actor over a stream of batches. The stream
 * hands over ownership: a stage closes every input batch it pulls and the batches it yields belong to the
 * next stage. Stages are immutable and serializable; per-task state lives in the iterator they return.
 */
public interface Stage extends Serializable {
    /** The stage in {@code explain()}: {@code Filter((x < 0.5))}, {@code MapBatches(Scorer.new)}. */
    String explain();

    CloseableIterator<VectorSchemaRoot> apply(CloseableIterator<VectorSchemaRoot> input, StageContext context);
}
