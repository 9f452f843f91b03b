package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import dev.weft.data.internal.kernels.Aggregate;
import dev.weft.data.internal.kernels.GroupByExchange;
import dev.weft.data.internal.kernels.HashAggregator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The map side of a group-by run inside the tasks of the operator below it (Spark's partial {@code HashAggregate}
 * in the scan's stage): a task folds every batch it would have stored into one hash aggregator and emits the
 * partial states instead, so the rows themselves never go through the object store. It emits early whenever the
 * aggregator holds {@code maxGroups} groups (a key with few repeats gains little from waiting, and the memory stays
 * bounded). Every emitted batch carries the raw input schema in its metadata under {@link GroupByExchange#PARTIAL_INPUT_SCHEMA}: reducers
 * need it to build their aggregator, and it tells them the rows are states, not raw rows.
 */
public record PartialAggregateStage(List<String> keys, List<Aggregate> aggregates, int maxGroups) implements Stage {
    /** Groups a task holds before it emits its partial states and starts afresh. */
    public static final int MAX_GROUPS = 1 << 20;

    public PartialAggregateStage {
        keys = List.copyOf(keys);
        aggregates = List.copyOf(aggregates);
    }

    @Override
    public String explain() {
        String aggs = aggregates.stream().map(Aggregate::name).collect(Collectors.joining(", "));
        return "PartialAggregate[" + (keys.isEmpty() ? "" : "keys=" + keys + ", ") + aggs + "]";
    }

    @Override
    public CloseableIterator<VectorSchemaRoot> apply(CloseableIterator<VectorSchemaRoot> input, StageContext ctx) {
        return new CloseableIterator<>() {
            private HashAggregator aggregator;
            private VectorSchemaRoot next;

            @Override
            public boolean hasNext() {
                while (next == null && input.hasNext()) {
                    try (VectorSchemaRoot in = input.next()) {
                        if (aggregator == null) {
                            aggregator = new HashAggregator(in.getSchema(), keys, aggregates, 1024);
                        }
                        aggregator.add(in);
                    }
                    if (aggregator.groupCount() >= maxGroups) {
                        next = emit();
                    }
                }
                if (next == null && aggregator != null) {
                    next = emit();
                }
                return next != null;
            }

            private VectorSchemaRoot emit() {
                HashAggregator done = aggregator;
                aggregator = null;
                if (done.rowsIn() == 0) {
                    return null;
                }
                VectorSchemaRoot partial = done.partialResult(ctx.allocator());
                List<FieldVector> vectors = new ArrayList<>(partial.getFieldVectors());
                Schema schema = new Schema(partial.getSchema().getFields(),
                        Map.of(GroupByExchange.PARTIAL_INPUT_SCHEMA, done.inputSchema().toJson()));
                return new VectorSchemaRoot(schema, vectors, partial.getRowCount());
            }

            @Override
            public VectorSchemaRoot next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                VectorSchemaRoot r = next;
                next = null;
                return r;
            }

            @Override
            public void close() {
                if (next != null) {
                    next.close();
                    next = null;
                }
                aggregator = null;
                input.close();
            }
        };
    }
}
