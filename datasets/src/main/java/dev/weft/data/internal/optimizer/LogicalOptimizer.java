package dev.weft.data.internal.optimizer;

import dev.weft.data.internal.plan.LogicalOp;
import java.util.List;
import java.util.Optional;

/** Applies logical rules bottom-up until none fires (bounded, so a rule pair that loops fails loudly). */
public final class LogicalOptimizer {
    private static final int MAX_REWRITES = 10_000;

    private LogicalOptimizer() {
    }

    public static LogicalOp optimize(LogicalOp plan, List<LogicalRule> rules) {
        int[] budget = {MAX_REWRITES};
        return optimize(plan, rules, budget);
    }

    private static LogicalOp optimize(LogicalOp node, List<LogicalRule> rules, int[] budget) {
        LogicalOp current = node.input() == null ? node : node.withInput(optimize(node.input(), rules, budget));
        for (LogicalRule rule : rules) {
            Optional<LogicalOp> rewritten = rule.onMatch(current);
            if (rewritten.isPresent()) {
                if (--budget[0] < 0) {
                    throw new IllegalStateException("optimizer rules keep rewriting the plan (last rule "
                            + rule.getClass().getSimpleName() + ")");
                }
                return optimize(rewritten.get(), rules, budget);
            }
        }
        return current;
    }
}
