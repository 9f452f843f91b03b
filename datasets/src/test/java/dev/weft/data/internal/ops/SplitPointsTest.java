package dev.weft.data.internal.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.data.internal.exec.BlockRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the splitting operators cut, from row counts alone (no runtime: the refs are never touched). */
class SplitPointsTest {
    static List<BlockRef> blocks(long... rows) {
        List<BlockRef> out = new ArrayList<>();
        for (long r : rows) {
            out.add(new BlockRef(null, r, r * 8, List.of()));
        }
        return out;
    }

    @Test
    void equalDropsTheRemainder() {
        assertArrayEquals(new long[] {0, 3, 6, 9}, SplitPoints.equal(11, 3));
        assertArrayEquals(new long[] {0, 0, 0}, SplitPoints.equal(1, 2));
    }

    @Test
    void blockBoundariesAreTheNearestToEvenCuts() {
        assertArrayEquals(new long[] {0, 20, 40, 60}, SplitPoints.atBlockBoundaries(blocks(10, 10, 10, 10, 10, 10), 3));
        assertArrayEquals(new long[] {0, 0, 100, 101}, SplitPoints.atBlockBoundaries(blocks(100, 1), 3));
        assertArrayEquals(new long[] {0, 0, 0}, SplitPoints.atBlockBoundaries(blocks(), 2));
    }

    @Test
    void indicesClampAndProportionsRoundDown() {
        assertArrayEquals(new long[] {0, 5, 5, 10, 10}, SplitPoints.atIndices(10, new long[] {5, 5, 12}));
        assertArrayEquals(new long[] {0, 3, 8, 10}, SplitPoints.proportionately(10, new double[] {0.3, 0.5}));
        assertArrayEquals(new long[] {0, 0, 7}, SplitPoints.proportionately(7, new double[] {0.1}));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SplitPoints.checkIndices(new long[] {3, 2}));
        assertThrows(IllegalArgumentException.class, () -> SplitPoints.checkFractions(new double[] {Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> SplitPoints.checkFractions(new double[] {0.5, 0.5}));
    }

    @Test
    void cutsSliceBlocksAtTheRightRows() {
        List<BlockRef> b = blocks(4, 0, 6);
        List<List<Slice>> segs = BlockSlicer.cut(b, new long[] {0, 2, 7, 10});
        assertArrayEquals(new long[] {0, 2}, new long[] {segs.get(0).get(0).offset(), segs.get(0).get(0).length()});
        assertArrayEquals(new long[] {2, 2, 0, 3}, new long[] {segs.get(1).get(0).offset(), segs.get(1).get(0).length(),
                segs.get(1).get(1).offset(), segs.get(1).get(1).length()});
        assertArrayEquals(new long[] {3, 3}, new long[] {segs.get(2).get(0).offset(), segs.get(2).get(0).length()});
        assertArrayEquals(new long[] {1, 2, 1}, segs.stream().mapToLong(List::size).toArray());
    }
}
