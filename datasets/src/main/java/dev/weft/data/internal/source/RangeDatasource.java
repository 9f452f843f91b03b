package dev.weft.data.internal.source;

import dev.weft.data.CloseableIterator;
import dev.weft.data.DataContext;
import dev.weft.data.Datasource;
import dev.weft.data.ReadContext;
import dev.weft.data.ReadTask;
import dev.weft.data.ReadTaskMetadata;
import dev.weft.data.SupportsLimitPushdown;
import dev.weft.data.SupportsProjectionPushdown;
import dev.weft.data.internal.exec.Iterators;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** The integers {@code 0..n-1} in a column {@code id}; generated inside the read tasks. */
public record RangeDatasource(long n, long limit) implements SupportsLimitPushdown, SupportsProjectionPushdown {
    public static final Schema SCHEMA = new Schema(List.of(new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null)));

    public RangeDatasource {
        if (n < 0) {
            throw new IllegalArgumentException("range size must be >= 0, got " + n);
        }
    }

    private long effective() {
        return limit >= 0 ? Math.min(n, limit) : n;
    }

    @Override
    public String name() {
        return "Range";
    }

    @Override
    public String describe() {
        return "n=" + n + (limit >= 0 ? ", limit=" + limit : "");
    }

    @Override
    public Optional<Schema> schema() {
        return Optional.of(SCHEMA);
    }

    @Override
    public OptionalLong estimatedInMemorySize() {
        return OptionalLong.of(effective() * 8);
    }

    @Override
    public OptionalLong exactRowCount() {
        return OptionalLong.of(effective());
    }

    @Override
    public Datasource withLimit(long newLimit) {
        return new RangeDatasource(n, limit >= 0 ? Math.min(limit, newLimit) : newLimit);
    }

    @Override
    public Datasource withColumns(List<String> columns) {
        if (!columns.equals(List.of("id"))) {
            throw new IllegalArgumentException("range has only the column 'id', asked for " + columns);
        }
        return this;
    }

    @Override
    public List<ReadTask> getReadTasks(int parallelism, DataContext context) {
        long total = effective();
        int tasks = (int) Math.max(1, Math.min(parallelism, (total + 1023) / 1024));
        List<ReadTask> out = new ArrayList<>();
        long per = (total + tasks - 1) / Math.max(1, tasks);
        for (long start = 0; start < total || out.isEmpty(); start += Math.max(per, 1)) {
            long end = Math.min(total, start + per);
            out.add(new RangeReadTask(start, end));
            if (end >= total) {
                break;
            }
        }
        return out;
    }

    /** Rows {@code [start, end)}. */
    record RangeReadTask(long start, long end) implements ReadTask {
        @Override
        public ReadTaskMetadata metadata() {
            return new ReadTaskMetadata(OptionalLong.of(end - start), OptionalLong.of((end - start) * 8), List.of());
        }

        @Override
        public CloseableIterator<VectorSchemaRoot> read(ReadContext context) {
            int batchRows = (int) Math.max(1024, Math.min(1 << 24, context.dataContext().targetMinBlockSizeBytes() / 8));
            Iterator<VectorSchemaRoot> it = new Iterator<>() {
                private long next = start;

                @Override
                public boolean hasNext() {
                    return next < end;
                }

                @Override
                public VectorSchemaRoot next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    int rows = (int) Math.min(batchRows, end - next);
                    BigIntVector v = new BigIntVector(SCHEMA.getFields().getFirst(), context.allocator());
                    v.allocateNew(rows);
                    var buf = v.getDataBuffer();
                    for (int i = 0; i < rows; i++) {
                        buf.setLong((long) i * 8, next + i);
                    }
                    v.getValidityBuffer().setOne(0, (rows + 7) / 8);
                    v.setValueCount(rows);
                    next += rows;
                    return new VectorSchemaRoot(List.of(v.getField()), List.of(v), rows);
                }
            };
            return Iterators.wrap(it, () -> { });
        }
    }
}
