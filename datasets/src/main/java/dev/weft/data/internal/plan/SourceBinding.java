package dev.weft.data.internal.plan;

import dev.weft.data.DataContext;
import dev.weft.data.internal.exec.Exchange;
import dev.weft.data.internal.ops.ZipBlocks;

/**
 * Gives every source of a plan a dataset's context ({@link dev.weft.data.Datasource#withContext}), so that what
 * a source learns on the driver (footers, schema, row counts) follows the settings the dataset runs with. The
 * plan runs as one execution with one context, so joined, unioned and zipped plans are bound too.
 */
public final class SourceBinding {
    private SourceBinding() {
    }

    /** {@code op} with every source bound to {@code context}. */
    public static LogicalOp bind(LogicalOp op, DataContext context) {
        if (op == null) {
            return null;
        }
        LogicalOp in = bind(op.input(), context);
        return switch (op) {
            case LogicalOp.Read r -> new LogicalOp.Read(r.source().withContext(context), r.pushedFilters(),
                    r.pushedColumns(), r.pushedLimit());
            case LogicalOp.AllToAll a when a.exchange() instanceof Exchange.Join j ->
                    new LogicalOp.AllToAll(in, new Exchange.Join(j.spec(), bind((LogicalOp) j.right(), context),
                            j.broadcast(), j.broadcastThresholdBytes()));
            case LogicalOp.AllToAll a when a.exchange() instanceof Exchange.Union u ->
                    new LogicalOp.AllToAll(in, new Exchange.Union(u.others().stream()
                            .map(o -> (Object) bind((LogicalOp) o, context)).toList()));
            case LogicalOp.Barrier b when b.transform() instanceof ZipBlocks z ->
                    new LogicalOp.Barrier(in, new ZipBlocks(bind(z.other(), context)));
            default -> in == op.input() ? op : op.withInput(in);
        };
    }
}
