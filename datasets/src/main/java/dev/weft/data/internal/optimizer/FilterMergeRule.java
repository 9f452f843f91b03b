package dev.weft.data.internal.optimizer;

import dev.weft.data.internal.plan.LogicalOp;
import java.util.Optional;

/** {@code Filter(Filter(x, a), b)} becomes {@code Filter(x, a and b)}, so one predicate can be pushed into a read. */
public final class FilterMergeRule implements LogicalRule {
    /** No settings; the record keeps the Calcite shape so settings can be added without breaking callers. */
    public record Config() {
        public static final Config DEFAULT = new Config();

        public FilterMergeRule toRule() {
            return new FilterMergeRule(this);
        }
    }

    private FilterMergeRule(Config config) {
    }

    @Override
    public Optional<LogicalOp> onMatch(LogicalOp node) {
        if (node instanceof LogicalOp.Filter(LogicalOp.Filter inner, var outerPredicate)) {
            return Optional.of(new LogicalOp.Filter(inner.input(), inner.predicate().and(outerPredicate)));
        }
        return Optional.empty();
    }
}
