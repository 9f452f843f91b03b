package dev.weft.data.internal.optimizer;

import dev.weft.data.Expr;
import dev.weft.data.SupportsFilterPushdown;
import dev.weft.data.internal.plan.LogicalOp;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code Filter(Read(source))} with a source that {@link SupportsFilterPushdown} becomes a read with the
 * predicate pushed in, under a filter of what the source cannot guarantee (none when it filters exactly).
 */
public final class FilterIntoReadRule implements LogicalRule {
    /** @param keepResidual keep the engine-side filter even when the source claims to filter exactly */
    public record Config(boolean keepResidual) {
        public static final Config DEFAULT = new Config(false);

        public Config withKeepResidual(boolean keep) {
            return new Config(keep);
        }

        public FilterIntoReadRule toRule() {
            return new FilterIntoReadRule(this);
        }
    }

    private final Config config;

    private FilterIntoReadRule(Config config) {
        this.config = config;
    }

    @Override
    public Optional<LogicalOp> onMatch(LogicalOp node) {
        if (!(node instanceof LogicalOp.Filter(LogicalOp.Read read, Expr predicate))
                || !(read.source() instanceof SupportsFilterPushdown pushdown)
                || read.pushedFilters().contains(predicate)) {
            return Optional.empty();
        }
        SupportsFilterPushdown.Result result = pushdown.withFilter(predicate);
        Set<Expr> pushed = new HashSet<>(read.pushedFilters());
        pushed.add(predicate);
        LogicalOp.Read newRead = new LogicalOp.Read(result.source(), Set.copyOf(pushed), read.pushedColumns(),
                read.pushedLimit());
        Optional<Expr> remaining = config.keepResidual() ? Optional.of(predicate) : result.remaining();
        if (remaining.isEmpty()) {
            return Optional.of(newRead);
        }
        // the residual is recorded as pushed too, so the rule does not fire on it again
        Set<Expr> withResidual = new HashSet<>(pushed);
        withResidual.add(remaining.get());
        return Optional.of(new LogicalOp.Filter(new LogicalOp.Read(result.source(), Set.copyOf(withResidual),
                read.pushedColumns(), read.pushedLimit()), remaining.get()));
    }
}
