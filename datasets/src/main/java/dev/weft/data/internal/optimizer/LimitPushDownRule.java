package dev.weft.data.internal.optimizer;

import dev.weft.data.SupportsLimitPushdown;
import dev.weft.data.internal.exec.RowStage;
import dev.weft.data.internal.plan.LogicalOp;
import java.util.Optional;

/**
 * Moves a limit below operators that keep one output row per input row (projections, row maps), merges
 * stacked limits, and tells a read that {@link SupportsLimitPushdown} how many rows are wanted (the limit stays
 * on top, because each read task may still return up to that many rows).
 */
public final class LimitPushDownRule implements LogicalRule {
    /** @param intoRead also push the limit into sources that support it */
    public record Config(boolean intoRead) {
        public static final Config DEFAULT = new Config(true);

        public Config withIntoRead(boolean into) {
            return new Config(into);
        }

        public LimitPushDownRule toRule() {
            return new LimitPushDownRule(this);
        }
    }

    private final Config config;

    private LimitPushDownRule(Config config) {
        this.config = config;
    }

    @Override
    public Optional<LogicalOp> onMatch(LogicalOp node) {
        if (!(node instanceof LogicalOp.Limit limit)) {
            return Optional.empty();
        }
        LogicalOp in = limit.input();
        return switch (in) {
            case LogicalOp.Limit inner -> Optional.of(new LogicalOp.Limit(inner.input(), Math.min(inner.limit(), limit.limit())));
            case LogicalOp.Project p -> Optional.of(p.withInput(limit.withInput(p.input())));
            case LogicalOp.RowOp r when r.kind() == RowStage.Kind.MAP -> Optional.of(r.withInput(limit.withInput(r.input())));
            case LogicalOp.Read read when config.intoRead() && read.source() instanceof SupportsLimitPushdown s
                    && (read.pushedLimit() < 0 || read.pushedLimit() > limit.limit()) ->
                    Optional.of(limit.withInput(new LogicalOp.Read(s.withLimit(limit.limit()), read.pushedFilters(),
                            read.pushedColumns(), limit.limit())));
            default -> Optional.empty();
        };
    }
}
