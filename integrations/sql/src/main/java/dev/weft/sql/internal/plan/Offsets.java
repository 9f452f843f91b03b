package dev.weft.sql.internal.plan;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import dev.weft.data.CloseableIterator;
import dev.weft.data.DataContext;
import dev.weft.data.Dataset;
import dev.weft.data.Datasets;
import dev.weft.data.Datasource;
import dev.weft.data.ReadContext;
import dev.weft.data.ReadTask;
import dev.weft.data.ReadTaskMetadata;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

/**
 * {@code OFFSET n}: datasets has no operator that drops the first rows of an ordered plan, so a source does it
 * when the query runs: it runs its input (in order, as the limit above a sort keeps it) on the driver, drops the
 * first {@code n} rows and yields the rest as read tasks (one per batch, as Arrow IPC bytes). The rows kept pass
 * through the driver, so an OFFSET belongs on bounded results (with a LIMIT).
 */
final class Offsets {
    private Offsets() {
    }

    static Dataset skip(Dataset input, long offset) {
        return Datasets.from(new OffsetSource(input, offset));
    }

    private record OffsetSource(Dataset input, long offset) implements Datasource {
        @Override
        public String name() {
            return "Offset";
        }

        @Override
        public String describe() {
            return "offset=" + offset + ", input=" + input.explain().strip().replace("\n", "; ");
        }

        @Override
        public List<ReadTask> getReadTasks(int parallelism, DataContext context) {
            List<ReadTask> tasks = new ArrayList<>();
            ReadTask empty = null;
            long toSkip = offset;
            try (CloseableIterator<VectorSchemaRoot> batches = input.iterBatches()) {
                while (batches.hasNext()) {
                    VectorSchemaRoot batch = batches.next();
                    int rows = batch.getRowCount();
                    if (toSkip >= rows) {
                        toSkip -= rows;
                        if (empty == null) {
                            try (VectorSchemaRoot none = batch.slice(0, 0)) {
                                empty = new BytesTask(ipc(none), 0);
                            }
                        }
                        continue;
                    }
                    int from = (int) toSkip;
                    toSkip = 0;
                    try (VectorSchemaRoot kept = batch.slice(from, rows - from)) {
                        tasks.add(new BytesTask(ipc(kept), rows - from));
                    }
                }
            }
            if (tasks.isEmpty() && empty != null) {
                tasks.add(empty);
            }
            return tasks;
        }
    }

    private static byte[] ipc(VectorSchemaRoot root) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
            writer.start();
            writer.writeBatch();
            writer.end();
        } catch (IOException e) {
            throw new WeftException(ErrorType.INTERNAL, "encoding the rows after OFFSET failed: " + e, e);
        }
        return out.toByteArray();
    }

    /** A batch of rows carried as Arrow IPC bytes. */
    private record BytesTask(byte[] bytes, long rows) implements ReadTask {
        @Override
        public ReadTaskMetadata metadata() {
            return new ReadTaskMetadata(OptionalLong.of(rows), OptionalLong.of(bytes.length), List.of());
        }

        @Override
        public CloseableIterator<VectorSchemaRoot> read(ReadContext context) {
            return new CloseableIterator<>() {
                private boolean done;

                @Override
                public boolean hasNext() {
                    return !done;
                }

                @Override
                public VectorSchemaRoot next() {
                    if (done) {
                        throw new NoSuchElementException();
                    }
                    done = true;
                    try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(bytes),
                            context.allocator())) {
                        reader.loadNextBatch();
                        VectorSchemaRoot read = reader.getVectorSchemaRoot();
                        VectorSchemaRoot copy = VectorSchemaRoot.create(read.getSchema(), context.allocator());
                        copy.allocateNew();
                        for (int c = 0; c < read.getFieldVectors().size(); c++) {
                            var from = read.getVector(c);
                            var to = copy.getVector(c);
                            for (int r = 0; r < read.getRowCount(); r++) {
                                to.copyFromSafe(r, r, from);
                            }
                            to.setValueCount(read.getRowCount());
                        }
                        copy.setRowCount(read.getRowCount());
                        return copy;
                    } catch (IOException e) {
                        throw new WeftException(ErrorType.INTERNAL, "decoding the rows after OFFSET failed: " + e, e);
                    }
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
