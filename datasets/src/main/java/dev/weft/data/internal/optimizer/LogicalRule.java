package dev.weft.data.internal.optimizer;

import dev.weft.data.internal.plan.LogicalOp;
import java.util.Optional;

/** A rewrite of a logical plan node (and the nodes right below it), Calcite-style. Stateless. */
public interface LogicalRule {
    /** The rewritten subtree, or empty when the rule does not match {@code node}. */
    Optional<LogicalOp> onMatch(LogicalOp node);
}
