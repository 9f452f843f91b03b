package dev.weft.data.internal.ops;

import dev.weft.data.internal.exec.BlockRef;
import java.util.Arrays;
import java.util.List;

/**
 * Where the splitting operators cut a dataset: global row positions, computed from block row counts only.
 * Every result starts with 0 and is non-decreasing; segment {@code i} is rows {@code [cuts[i], cuts[i+1])}.
 * Arguments are validated by the caller ({@code Dataset}) before anything runs.
 */
public final class SplitPoints {
    private SplitPoints() {
    }

    /**
     * {@code split(n, true)}: {@code n} segments of {@code total / n} rows each; the last {@code total % n} rows
     * belong to no segment (as in Ray, equal splits may drop up to {@code n - 1} rows).
     */
    public static long[] equal(long total, int n) {
        long[] cuts = new long[n + 1];
        long each = total / n;
        for (int i = 1; i <= n; i++) {
            cuts[i] = cuts[i - 1] + each;
        }
        return cuts;
    }

    /**
     * {@code split(n, false)}: cuts only at block boundaries, each the boundary nearest to {@code i * total / n},
     * so no block is copied; segments are as even as the blocks allow (some may be empty when there are fewer
     * blocks than segments). Every row belongs to a segment.
     */
    public static long[] atBlockBoundaries(List<BlockRef> blocks, int n) {
        long total = BlockSlicer.rows(blocks);
        long[] bounds = new long[blocks.size() + 1];
        for (int i = 0; i < blocks.size(); i++) {
            bounds[i + 1] = bounds[i] + blocks.get(i).numRows();
        }
        long[] cuts = new long[n + 1];
        cuts[n] = total;
        int b = 0;
        for (int i = 1; i < n; i++) {
            double ideal = (double) total * i / n;
            while (b + 1 < bounds.length && Math.abs(bounds[b + 1] - ideal) <= Math.abs(bounds[b] - ideal)) {
                b++;
            }
            cuts[i] = Math.max(cuts[i - 1], bounds[b]);
        }
        return cuts;
    }

    /** {@code splitAt(indices)}: indices past the end are clamped to it (as in Ray). */
    public static long[] atIndices(long total, long[] indices) {
        long[] cuts = new long[indices.length + 2];
        for (int i = 0; i < indices.length; i++) {
            cuts[i + 1] = Math.min(indices[i], total);
        }
        cuts[indices.length + 1] = total;
        return cuts;
    }

    /**
     * {@code splitProportionately(fractions)}: segment {@code i} gets {@code floor(total * fractions[i])} rows
     * (cumulatively rounded), and one more segment gets the rest.
     */
    public static long[] proportionately(long total, double[] fractions) {
        long[] indices = new long[fractions.length];
        double cumulative = 0;
        for (int i = 0; i < fractions.length; i++) {
            cumulative += fractions[i];
            indices[i] = (long) Math.floor(total * cumulative);
        }
        return atIndices(total, indices);
    }

    /** Rejects what {@link #atIndices} cannot cut: negative or decreasing indices, naming the value. */
    public static void checkIndices(long[] indices) {
        if (indices == null || indices.length == 0) {
            throw new IllegalArgumentException("splitAt needs at least one index");
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0) {
                throw new IllegalArgumentException("splitAt indices must be >= 0, got " + indices[i] + " at position "
                        + i + " of " + Arrays.toString(indices));
            }
            if (i > 0 && indices[i] < indices[i - 1]) {
                throw new IllegalArgumentException("splitAt indices must be in ascending order, got " + indices[i]
                        + " after " + indices[i - 1] + " in " + Arrays.toString(indices));
            }
        }
    }

    /** Rejects fractions that are not each in (0, 1) or whose sum is not below 1, naming the values. */
    public static void checkFractions(double[] fractions) {
        if (fractions == null || fractions.length == 0) {
            throw new IllegalArgumentException("splitProportionately needs at least one fraction");
        }
        double sum = 0;
        for (int i = 0; i < fractions.length; i++) {
            if (!(fractions[i] > 0 && fractions[i] < 1)) {
                throw new IllegalArgumentException("splitProportionately fractions must each be in (0, 1), got "
                        + fractions[i] + " at position " + i + " of " + Arrays.toString(fractions));
            }
            sum += fractions[i];
        }
        if (!(sum < 1)) {
            throw new IllegalArgumentException("splitProportionately fractions must sum to less than 1 (the rest is the "
                    + "last split), got " + Arrays.toString(fractions) + " summing to " + sum);
        }
    }
}
