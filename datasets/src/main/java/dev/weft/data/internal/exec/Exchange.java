package dev.weft.data.internal.exec;

import dev.weft.data.internal.kernels.Aggregate;
import dev.weft.data.internal.kernels.JoinSpec;
import dev.weft.data.internal.kernels.JoinType;
import dev.weft.data.internal.kernels.SortKey;
import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/** What an all-to-all operator computes; immutable and serializable (it travels to map and reduce tasks). */
public sealed interface Exchange extends Serializable {
    /** The operator's line in {@code explain()}. */
    String explain();

    /** Hash group-by with a map-side combiner; no keys is a global aggregate (one reducer). */
    record GroupBy(List<String> keys, List<Aggregate> aggregates) implements Exchange {
        public GroupBy {
            keys = List.copyOf(keys);
            aggregates = List.copyOf(aggregates);
            if (aggregates.isEmpty()) {
                throw new IllegalArgumentException("a group-by on " + keys + " needs at least one aggregate");
            }
        }

        @Override
        public String explain() {
            String aggs = aggregates.stream().map(Aggregate::name).collect(Collectors.joining(", "));
            return keys.isEmpty() ? "Aggregate[" + aggs + "]" : "HashAggregate[keys=" + keys + ", " + aggs + "]";
        }
    }

    /** Global sort by sampled range partitioning. */
    record Sort(List<SortKey> keys) implements Exchange {
        public Sort {
            keys = List.copyOf(keys);
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("a sort needs at least one key");
            }
        }

        @Override
        public String explain() {
            return "Sort[" + keys.stream().map(k -> k.column() + (k.descending() ? " desc" : " asc"))
                    .collect(Collectors.joining(", ")) + "]";
        }
    }

    /**
     * Equi-join of the input (left) with {@code right}, which the executor runs first. Broadcast (the right side
     * built once per left block) when {@code broadcast} is set or the right side is at most
     * {@code broadcastThresholdBytes}, and the join type never needs unmatched right rows; else a shuffled hash join.
     */
    record Join(JoinSpec spec, Object right, boolean broadcast, long broadcastThresholdBytes) implements Exchange {
        @Override
        public String explain() {
            return "HashJoin[" + spec.type() + ", left=" + spec.leftKeys() + ", right=" + spec.rightKeys()
                    + (broadcast ? ", broadcast" : "") + "]";
        }

        /** Whether a broadcast of the right side gives the right answer for this join type. */
        public boolean broadcastable() {
            JoinType t = spec.type();
            return t == JoinType.INNER || t == JoinType.LEFT_OUTER || t == JoinType.LEFT_SEMI || t == JoinType.LEFT_ANTI;
        }
    }

    /**
     * Every row to a random reducer, each reducer permuting its rows: a seeded global random shuffle.
     * {@code reducers} 0 means one per input block; {@code repartition} names it in {@code explain()}.
     */
    record RandomShuffle(long seed, int reducers, boolean repartition) implements Exchange {
        public RandomShuffle {
            if (reducers < 0) {
                throw new IllegalArgumentException("reducers must be >= 0, got " + reducers);
            }
        }

        @Override
        public String explain() {
            return repartition ? "Repartition[" + reducers + "]" : "RandomShuffle[seed=" + seed + "]";
        }
    }

    /** The input's blocks followed by each of {@code others}' (logical plans run first); moves no rows. */
    record Union(List<Object> others) implements Exchange {
        public Union {
            others = List.copyOf(others);
        }

        @Override
        public String explain() {
            return "Union[" + (others.size() + 1) + " inputs]";
        }
    }
}
