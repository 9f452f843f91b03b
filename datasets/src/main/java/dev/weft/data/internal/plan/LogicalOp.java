package dev.weft.data.internal.plan;

import dev.weft.api.WeftFunc0;
import dev.weft.data.BatchFunction;
import dev.weft.data.Datasink;
import dev.weft.data.Datasource;
import dev.weft.data.Expr;
import dev.weft.data.MapBatches;
import dev.weft.data.internal.exec.BlockRef;
import dev.weft.data.internal.exec.RowStage;
import dev.weft.data.internal.kernels.Aggregate;
import dev.weft.data.internal.kernels.JoinSpec;
import java.util.List;
import java.util.Set;

/**
 * A node of a dataset's logical plan: what the user asked for, before optimization. A plan is a chain (every
 * node has at most one input); immutable.
 */
public sealed interface LogicalOp {
    /** The input, or {@code null} for a source. */
    LogicalOp input();

    /** This node over another input. */
    LogicalOp withInput(LogicalOp input);

    /**
     * Reads a datasource. {@code pushedFilters}, {@code pushedColumns} and {@code pushedLimit} record what the
     * optimizer already pushed in, so that rules fire once.
     */
    record Read(Datasource source, Set<Expr> pushedFilters, List<String> pushedColumns, long pushedLimit)
            implements LogicalOp {
        public Read(Datasource source) {
            this(source, Set.of(), null, -1);
        }

        @Override
        public LogicalOp input() {
            return null;
        }

        @Override
        public LogicalOp withInput(LogicalOp input) {
            return this;
        }
    }

    /** Blocks already in the object store (a materialized dataset). */
    record InputBlocks(List<BlockRef> blocks) implements LogicalOp {
        @Override
        public LogicalOp input() {
            return null;
        }

        @Override
        public LogicalOp withInput(LogicalOp input) {
            return this;
        }
    }

    record Filter(LogicalOp input, Expr predicate) implements LogicalOp {
        @Override
        public LogicalOp withInput(LogicalOp input) {
            return new Filter(input, predicate);
        }
    }

    record RowOp(LogicalOp input, RowStage.Kind kind, Object function) implements LogicalOp {
        @Override
        public LogicalOp withInput(LogicalOp input) {
            return new RowOp(input, kind, function);
        }
    }

    record MapBatchesOp(LogicalOp input, String name, BatchFunction function,
                        WeftFunc0<? extends BatchFunction> factory, MapBatches options) implements LogicalOp {
        @Override
        public LogicalOp withInput(LogicalOp input) {
            return new MapBatchesOp(input, name, function, factory, options);
        }
    }

    record Project(LogicalOp input, Projection projection) implements LogicalOp {
        @Override
        public LogicalOp withInput(LogicalOp input) {
            return new Project(input, projection);
        }
    }

    record Limit(LogicalOp input, long limit) implements LogicalOp {
        @Override
        public LogicalOp withInput(LogicalOp input) {
            return new Limit(input, limit);
        }
    }

    record Sample(LogicalOp input, double fraction, long seed) implements LogicalOp {
        @Override
        public LogicalOp withInput(LogicalOp input) {
            return new Sample(input, fraction, seed);
        }
    }

    /**
     * The map side of a group-by fused into the operator below it: each task folds its rows into partial
     * aggregation states and emits those instead of the rows (see {@code PartialAggregateStage}). Only the
     * executor adds it, under the group-by's exchange.
     */
    record PartialAggregate(LogicalOp input, List<String> keys, List<Aggregate> aggregates) implements LogicalOp {
        public PartialAggregate {
            keys = List.copyOf(keys);
            aggregates = List.copyOf(aggregates);
        }

        @Override
        public LogicalOp withInput(LogicalOp input) {
            return new PartialAggregate(input, keys, aggregates);
        }
    }

    /**
     * A broadcast hash join fused into the tasks of the operator below it (Spark's {@code BroadcastHashJoin} in the
     * scan's stage): each task builds the hash table of the right side, already read into {@code right}, and probes
     * its own batches against it, so the left side's rows never go through the object store on their way into
     * the join. Only the executor adds it, for a join it may broadcast whose right side it has read; the join type
     * never outputs unmatched right rows ({@code Exchange.Join.broadcastable}).
     */
    record BroadcastJoin(LogicalOp input, List<BlockRef> right, JoinSpec spec, String rightSchemaJson)
            implements LogicalOp {
        public BroadcastJoin {
            right = List.copyOf(right);
        }

        @Override
        public LogicalOp withInput(LogicalOp input) {
            return new BroadcastJoin(input, right, spec, rightSchemaJson);
        }
    }

    /** An all-to-all exchange (group-by, sort): a barrier, run by the executor before the operators above it. */
    record AllToAll(LogicalOp input, dev.weft.data.internal.exec.Exchange exchange) implements LogicalOp {
        @Override
        public LogicalOp withInput(LogicalOp input) {
            return new AllToAll(input, exchange);
        }
    }

    /**
     * A barrier that turns every block of its input (and of the transform's side inputs) into output blocks
     * without an all-to-all exchange: block splitting, reordering, zipping, per-group functions.
     */
    record Barrier(LogicalOp input, BlockTransform transform) implements LogicalOp {
        @Override
        public LogicalOp withInput(LogicalOp input) {
            return new Barrier(input, transform);
        }
    }

    record Write(LogicalOp input, Datasink sink) implements LogicalOp {
        @Override
        public LogicalOp withInput(LogicalOp input) {
            return new Write(input, sink);
        }
    }
}
