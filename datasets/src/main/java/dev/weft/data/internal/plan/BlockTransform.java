package dev.weft.data.internal.plan;

import dev.weft.api.Weft;
import dev.weft.data.DataContext;
import dev.weft.data.internal.exec.BlockRef;
import java.util.List;

/**
 * What a {@link LogicalOp.Barrier} computes: output blocks from all of its input's blocks (run to completion
 * first) and of its side inputs. Runs on the driver thread and may launch tasks; blocking. Immutable.
 *
 * <p>Ownership: the caller keeps owning the input and side blocks. The result may contain input blocks as they
 * are (the same {@link BlockRef} objects, e.g. a reordering); every other block in the result is new and owned
 * by the caller. On failure the transform releases what it created.
 */
public interface BlockTransform {
    /** The operator's line in {@code explain()}, e.g. {@code Zip[...]}. */
    String explain();

    /** Plans whose blocks {@link #apply} receives as {@code sides}, in this order. */
    default List<LogicalOp> sideInputs() {
        return List.of();
    }

    /** Whether the input's blocks must come in input order (rows are aligned or kept by position). */
    default boolean needsInputOrder() {
        return false;
    }

    List<BlockRef> apply(Weft weft, List<BlockRef> input, List<List<BlockRef>> sides, DataContext context);
}
