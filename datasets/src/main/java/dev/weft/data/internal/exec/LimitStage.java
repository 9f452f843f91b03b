package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import dev.weft.data.internal.arrow.Batches;
import java.util.NoSuchElementException;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Stops a task after {@code limit} rows (the exact limit across tasks is applied on the driver). */
public record LimitStage(long limit) implements Stage {
    @Override
    public String explain() {
        return "Limit[" + limit + "]";
    }

    @Override
    public CloseableIterator<VectorSchemaRoot> apply(CloseableIterator<VectorSchemaRoot> input, StageContext ctx) {
        return new CloseableIterator<>() {
            private long remaining = limit;

            @Override
            public boolean hasNext() {
                return remaining > 0 && input.hasNext();
            }

            @Override
            public VectorSchemaRoot next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                VectorSchemaRoot in = input.next();
                if (in.getRowCount() <= remaining) {
                    remaining -= in.getRowCount();
                    return in;
                }
                try (in) {
                    VectorSchemaRoot slice = Batches.slice(in, 0, (int) remaining);
                    remaining = 0;
                    return slice;
                }
            }

            @Override
            public void close() {
                input.close();
            }
        };
    }
}
