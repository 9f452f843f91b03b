package dev.weft.data;

import dev.weft.api.Weft;
import dev.weft.data.internal.exec.BlockRef;
import dev.weft.data.internal.exec.PlanExecution;
import dev.weft.data.internal.ops.BlockSlicer;
import dev.weft.data.internal.ops.SplitCoordinator;
import dev.weft.data.internal.ops.SplitFeeder;
import dev.weft.data.internal.ops.SplitPoints;
import dev.weft.data.internal.plan.LogicalOp;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The splits of a {@link Dataset}: eager (the dataset is materialized and its blocks divided) and streaming. */
final class DatasetSplits {
    private DatasetSplits() {
    }

    static List<Dataset> split(Dataset d, int n, boolean equal) {
        if (n < 1) {
            throw new IllegalArgumentException("split needs n >= 1, got " + n);
        }
        List<BlockRef> blocks = materializedBlocks(d);
        return splitBlocks(d, blocks, equal ? SplitPoints.equal(BlockSlicer.rows(blocks), n)
                : SplitPoints.atBlockBoundaries(blocks, n));
    }

    static List<Dataset> splitAt(Dataset d, long... indices) {
        SplitPoints.checkIndices(indices);
        List<BlockRef> blocks = materializedBlocks(d);
        return splitBlocks(d, blocks, SplitPoints.atIndices(BlockSlicer.rows(blocks), indices));
    }

    static List<Dataset> splitProportionately(Dataset d, double... fractions) {
        SplitPoints.checkFractions(fractions);
        List<BlockRef> blocks = materializedBlocks(d);
        return splitBlocks(d, blocks, SplitPoints.proportionately(BlockSlicer.rows(blocks), fractions));
    }

    static List<Dataset> trainTestSplit(Dataset d, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("trainTestSplit needs a test fraction in (0, 1), got " + testFraction);
        }
        List<BlockRef> blocks = materializedBlocks(d.randomShuffle(seed));
        long total = BlockSlicer.rows(blocks);
        return splitBlocks(d, blocks,
                SplitPoints.atIndices(total, new long[] {total - (long) Math.floor(total * testFraction)}));
    }

    static List<DataIterator> streamingSplit(Dataset d, int n, boolean equal, List<String> localityHints) {
        if (n < 1) {
            throw new IllegalArgumentException("streamingSplit needs n >= 1, got " + n);
        }
        Weft weft = Weft.current();
        if (localityHints != null && !localityHints.isEmpty()) {
            if (localityHints.size() != n) {
                throw new IllegalArgumentException("streamingSplit needs one locality hint per split: got "
                        + localityHints.size() + " hints for " + n + " splits");
            }
            Set<String> nodes = new LinkedHashSet<>();
            weft.nodes().forEach(x -> nodes.add(x.nodeId()));
            for (String hint : localityHints) {
                if (!nodes.contains(hint)) {
                    throw new IllegalArgumentException("streamingSplit locality hint '" + hint + "' is not a node of the "
                            + "cluster (nodes " + nodes + ")");
                }
            }
        }
        long bufferLimit = 2L * n * d.context().targetMaxBlockSizeBytes();
        List<String> hints = localityHints == null || localityHints.isEmpty() ? null : List.copyOf(localityHints);
        Integer splits = n;
        Boolean equalSplits = equal;
        Long limit = bufferLimit;
        var coordinator = weft.actor(SplitCoordinator::new, splits, equalSplits, limit, hints).maxConcurrency(n + 4).remote();
        SplitFeeder.start(weft, coordinator, () -> d.execute(d.plan()), PlanExecution.inputBlockRefs(d.plan()));
        List<DataIterator> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new DataIterator(coordinator, i, n));
        }
        return out;
    }

    private static List<BlockRef> materializedBlocks(Dataset d) {
        return ((LogicalOp.InputBlocks) d.materialize().plan()).blocks();
    }

    private static List<Dataset> splitBlocks(Dataset d, List<BlockRef> blocks, long[] cuts) {
        List<Dataset> out = new ArrayList<>();
        for (List<BlockRef> part : BlockSlicer.piecewise(Weft.current(), BlockSlicer.cut(blocks, cuts))) {
            out.add(new Dataset(new LogicalOp.InputBlocks(part), d.context()));
        }
        return out;
    }
}
