package dev.weft.data;

import dev.weft.data.internal.exec.Exchange;
import dev.weft.data.internal.ops.MapGroups;
import java.util.Arrays;
import java.util.List;

/**
 * A dataset grouped by key columns (from {@link Dataset#groupBy}); lazy and immutable like {@link Dataset}.
 * Aggregation is a hash group-by through the object store with a map-side combiner (partial aggregation per
 * block). Null keys form their own group. The output has the key columns, then one column per aggregate, in no
 * particular row order.
 */
public final class GroupedDataset {
    private final Dataset input;
    private final List<String> keys;

    GroupedDataset(Dataset input, List<String> keys) {
        this.input = input;
        this.keys = List.copyOf(keys);
    }

    public List<String> keys() {
        return keys;
    }

    /** One row per distinct key, with the aggregates of its rows. */
    public Dataset aggregate(Agg... aggregates) {
        if (aggregates == null || aggregates.length == 0) {
            throw new IllegalArgumentException("groupBy(" + keys + ").aggregate needs at least one aggregate");
        }
        return input.exchange(new Exchange.GroupBy(keys, Arrays.stream(aggregates).map(Agg::aggregate).toList()));
    }

    /**
     * {@code fn} called once per group with all of the group's rows as one batch (in input order; groups in no
     * particular order), its outputs forming the new dataset — Ray's {@code map_groups}. Rows travel through the
     * group-by shuffle (hash-partitioned by key, no combiner), so a group must fit in one task's memory. The
     * batch ownership rules of {@link BatchFunction} apply; every call must return the same schema.
     */
    public Dataset mapGroups(BatchFunction fn) {
        if (fn == null) {
            throw new IllegalArgumentException("groupBy(" + keys + ").mapGroups needs a function, got null");
        }
        return input.barrier(new MapGroups(keys, FunctionLabels.of(fn), fn));
    }

    /** Rows per key, in column {@code count()}. */
    public Dataset count() {
        return aggregate(Agg.count());
    }
}
