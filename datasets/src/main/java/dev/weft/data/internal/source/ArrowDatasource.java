package dev.weft.data.internal.source;

import dev.weft.data.CloseableIterator;
import dev.weft.data.DataContext;
import dev.weft.data.Datasource;
import dev.weft.data.ReadContext;
import dev.weft.data.ReadTask;
import dev.weft.data.ReadTaskMetadata;
import dev.weft.data.internal.arrow.ArrowIpc;
import dev.weft.data.internal.exec.Iterators;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * In-memory batches ({@code fromItems}, {@code fromArrow}), held as Arrow IPC bytes so that read tasks carry
 * them to wherever they run; one read task per batch.
 */
public final class ArrowDatasource implements Datasource {
    private final String name;
    private final List<byte[]> batches;
    private final List<Long> rows;
    private final String schemaJson;

    public ArrowDatasource(String name, List<VectorSchemaRoot> roots) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException(name + " needs at least one batch");
        }
        this.name = name;
        this.batches = new ArrayList<>();
        this.rows = new ArrayList<>();
        Schema first = roots.getFirst().getSchema();
        for (VectorSchemaRoot r : roots) {
            if (!r.getSchema().equals(first)) {
                throw new IllegalArgumentException(name + ": every batch needs the schema of the first (" + first
                        + "), got " + r.getSchema());
            }
            batches.add(ArrowIpc.toBytes(r));
            rows.add((long) r.getRowCount());
        }
        this.schemaJson = first.toJson();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return "rows=" + rows.stream().mapToLong(Long::longValue).sum() + ", batches=" + batches.size();
    }

    @Override
    public Optional<Schema> schema() {
        try {
            return Optional.of(Schema.fromJSON(schemaJson));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public OptionalLong exactRowCount() {
        return OptionalLong.of(rows.stream().mapToLong(Long::longValue).sum());
    }

    @Override
    public OptionalLong estimatedInMemorySize() {
        return OptionalLong.of(batches.stream().mapToLong(b -> b.length).sum());
    }

    @Override
    public List<ReadTask> getReadTasks(int parallelism, DataContext context) {
        List<ReadTask> out = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            out.add(new IpcReadTask(batches.get(i), rows.get(i)));
        }
        return out;
    }

    record IpcReadTask(byte[] bytes, long rows) implements ReadTask {
        @Override
        public ReadTaskMetadata metadata() {
            return new ReadTaskMetadata(OptionalLong.of(rows), OptionalLong.of(bytes.length), List.of());
        }

        @Override
        public CloseableIterator<VectorSchemaRoot> read(ReadContext context) {
            return Iterators.of(List.of(ArrowIpc.fromBytes(bytes, context.allocator())));
        }
    }
}
