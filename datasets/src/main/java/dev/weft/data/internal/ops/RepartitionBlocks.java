package dev.weft.data.internal.ops;

import dev.weft.api.Weft;
import dev.weft.data.DataContext;
import dev.weft.data.internal.exec.BlockRef;
import dev.weft.data.internal.plan.BlockTransform;
import java.util.List;

/**
 * {@code repartition(n, false)}: exactly {@code n} blocks of equal row counts (the first {@code rows % n} one
 * row more), rows kept in order. Adjacent blocks are coalesced and large ones split by tasks that copy only the
 * rows they move; an output block that is exactly one input block is that block, uncopied. No exchange: each
 * output block reads only the input blocks its rows come from.
 */
public record RepartitionBlocks(int n) implements BlockTransform {
    public RepartitionBlocks {
        if (n < 1) {
            throw new IllegalArgumentException("repartition needs n >= 1, got " + n);
        }
    }

    @Override
    public String explain() {
        return "Repartition[" + n + ", shuffle=false]";
    }

    @Override
    public boolean needsInputOrder() {
        return true;
    }

    @Override
    public List<BlockRef> apply(Weft weft, List<BlockRef> input, List<List<BlockRef>> sides, DataContext context) {
        if (input.isEmpty()) {
            return List.of();
        }
        long total = BlockSlicer.rows(input);
        return BlockSlicer.oneBlockEach(weft, BlockSlicer.cut(input, equalCuts(total, n)), input.getFirst());
    }

    /** {@code n + 1} cut positions splitting {@code total} rows into {@code n} parts differing by at most one row. */
    static long[] equalCuts(long total, int n) {
        long[] cuts = new long[n + 1];
        long base = total / n;
        long extra = total % n;
        for (int i = 0; i < n; i++) {
            cuts[i + 1] = cuts[i] + base + (i < extra ? 1 : 0);
        }
        return cuts;
    }
}
