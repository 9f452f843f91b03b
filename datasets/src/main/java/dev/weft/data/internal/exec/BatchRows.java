package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import dev.weft.data.Row;
import dev.weft.data.internal.arrow.RowBatches;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.arrow.vector.VectorSchemaRoot;

/** The rows of a stream of batches, boxed one at a time; closing it closes the batches. Not thread-safe. */
public final class BatchRows implements CloseableIterator<Row> {
    private final CloseableIterator<VectorSchemaRoot> batches;
    private List<Row> current = List.of();
    private int pos;

    public BatchRows(CloseableIterator<VectorSchemaRoot> batches) {
        this.batches = batches;
    }

    @Override
    public boolean hasNext() {
        while (pos >= current.size()) {
            if (!batches.hasNext()) {
                return false;
            }
            current = RowBatches.toRows(batches.next());
            pos = 0;
        }
        return true;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.get(pos++);
    }

    @Override
    public void close() {
        batches.close();
    }
}
