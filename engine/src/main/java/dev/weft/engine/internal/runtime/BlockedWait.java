package dev.weft.engine.internal.runtime;

import java.util.function.Supplier;

/**
 * A wait of a task's code outside {@code get}/{@code wait} that can last (a cluster node pulling an object that its
 * owner must first rebuild): the task lends its resources to its node while it waits, as it does in {@code get},
 * so that the work it waits for can run there. Any thread; lends nothing outside a task's code.
 */
public final class BlockedWait {
    private BlockedWait() {
    }

    public static <T> T lendingResources(Supplier<T> wait) {
        WorkerContext ctx = WorkerContext.current();
        boolean lend = ctx != null && ctx.slot != null;
        if (lend) {
            ctx.node.blocked(ctx.slot, ctx.lease);
        }
        try {
            return wait.get();
        } finally {
            if (lend) {
                ctx.node.unblocked(ctx.slot, ctx.lease);
            }
        }
    }
}
