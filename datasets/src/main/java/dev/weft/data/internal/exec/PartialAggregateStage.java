package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import dev.weft.data.internal.kernels.Aggregate;
import dev.weft.data.internal.kernels.GroupByExchange;
import dev.weft.data.internal.kernels.HashAggregator;
import dev.weft.data.internal.plan.PlanAnalyzer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        HashAggregator[] aggregator = new HashAggregator[1];
        return Iterators.pull(() -> {
            while (input.hasNext()) {
                try (VectorSchemaRoot in = input.next()) {
                    if (aggregator[0] == null) {
                        PlanAnalyzer.checkGroupBy(keys, aggregates, in.getSchema());
                        aggregator[0] = new HashAggregator(in.getSchema(), keys, aggregates, 1024);
                    }
                    aggregator[0].add(in);
                }
                if (aggregator[0].groupCount() >= maxGroups) {
                    VectorSchemaRoot out = emit(aggregator, ctx);
                    if (out != null) {
                        return out;
                    }
                }
            }
            return aggregator[0] == null ? null : emit(aggregator, ctx);
        }, () -> {
            aggregator[0] = null;
            input.close();
        });
    }

    /** The partial states of {@code aggregator[0]} (null if it saw no row), which starts afresh. */
    private static VectorSchemaRoot emit(HashAggregator[] aggregator, StageContext ctx) {
        HashAggregator done = aggregator[0];
        aggregator[0] = null;
        if (done.rowsIn() == 0) {
            return null;
        }
        VectorSchemaRoot partial = done.partialResult(ctx.allocator());
        List<FieldVector> vectors = new ArrayList<>(partial.getFieldVectors());
        Schema schema = new Schema(partial.getSchema().getFields(),
                Map.of(GroupByExchange.PARTIAL_INPUT_SCHEMA, done.inputSchema().toJson()));
        return new VectorSchemaRoot(schema, vectors, partial.getRowCount());
    }
}
