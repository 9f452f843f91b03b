package dev.weft.data.internal.optimizer;

import dev.weft.data.MapBatches;
import dev.weft.data.internal.exec.Exchange;
import dev.weft.data.internal.kernels.TopK;
import dev.weft.data.internal.plan.LogicalOp;
import java.util.Optional;

/**
 * A sort under a limit becomes a top-k: each block keeps its first {@code limit} rows in sort order before the
 * sort's exchange (a map stage that fuses into the read or maps below it), so the exchange and the reducers see at
 * most {@code limit} rows per block instead of every row. The sort and the limit stay: they merge the kept rows.
 */
public final class SortLimitToTopKRule implements LogicalRule {
    /** @param maxLimit the largest limit turned into a top-k (beyond it the kept rows are most of the input) */
    public record Config(long maxLimit) {
        public static final Config DEFAULT = new Config(1_000_000);

        public Config withMaxLimit(long max) {
            return new Config(max);
        }

        public SortLimitToTopKRule toRule() {
            return new SortLimitToTopKRule(this);
        }
    }

    private final Config config;

    private SortLimitToTopKRule(Config config) {
        this.config = config;
    }

    @Override
    public Optional<LogicalOp> onMatch(LogicalOp node) {
        if (!(node instanceof LogicalOp.Limit limit) || limit.limit() > config.maxLimit()
                || !(limit.input() instanceof LogicalOp.AllToAll sort) || !(sort.exchange() instanceof Exchange.Sort s)
                || sort.input() instanceof LogicalOp.MapBatchesOp m && m.function() instanceof TopK) {
            return Optional.empty();
        }
        TopK topK = new TopK(s.keys(), limit.limit());
        LogicalOp kept = new LogicalOp.MapBatchesOp(sort.input(), topK.describe(), topK, null, MapBatches.tasks().batchSize(0));
        return Optional.of(limit.withInput(sort.withInput(kept)));
    }
}
