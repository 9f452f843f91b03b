package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Closes each batch it hands out when the consumer moves on (the consumer never closes them). Not thread-safe. */
public final class OwnedBatches implements CloseableIterator<VectorSchemaRoot> {
    private final CloseableIterator<VectorSchemaRoot> in;
    private VectorSchemaRoot current;

    public OwnedBatches(CloseableIterator<VectorSchemaRoot> in) {
        this.in = in;
    }

    @Override
    public boolean hasNext() {
        releaseCurrent();
        return in.hasNext();
    }

    @Override
    public VectorSchemaRoot next() {
        releaseCurrent();
        current = in.next();
        return current;
    }

    private void releaseCurrent() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Override
    public void close() {
        releaseCurrent();
        in.close();
    }
}
