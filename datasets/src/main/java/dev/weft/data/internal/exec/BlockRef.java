package dev.weft.data.internal.exec;

import dev.weft.api.ObjectRef;
import java.io.Serializable;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A block in the object store and what the executor knows about it without fetching it. Whoever holds a
 * {@code BlockRef} in the executor releases {@link #ref()} as soon as the block is consumed.
 */
public record BlockRef(ObjectRef<VectorSchemaRoot> ref, long numRows, long sizeBytes, List<String> inputFiles)
        implements Serializable {
    public BlockRef {
        inputFiles = List.copyOf(inputFiles);
    }
}
