package dev.weft.data.internal.arrow;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;

/**
 * The rows a boolean mask selects (true and not null), as runs of consecutive rows read 64 at a time from the
 * mask's bitmaps, and the copy of those rows out of a batch: fixed-width columns (values and validity) are
 * copied a run at a time, without an index per row. Not thread-safe; used by one filter call.
 */
public final class SelectedRuns {
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Runs shorter than this are copied value by value: a bulk copy's set-up costs more than a few loads. */
    private static final int BULK_RUN = 8;

    private final int rows;
    private final int selected;
    private final int runCount;
    private final int[] runStart;
    private final int[] runLength;

    private SelectedRuns(int rows, int selected, int runCount, int[] runStart, int[] runLength) {
        this.rows = rows;
        this.selected = selected;
        this.runCount = runCount;
        this.runStart = runStart;
        this.runLength = runLength;
    }

    /** The rows of {@code [0, rows)} where {@code mask} is true and not null. */
    public static SelectedRuns of(BitVector mask, int rows) {
        long[] words = words(mask.getDataBuffer(), rows);
        if (mask.getNullCount() > 0) {
            long[] valid = words(mask.getValidityBuffer(), rows);
            for (int w = 0; w < words.length; w++) {
                words[w] &= valid[w];
            }
        }
        return of(words, rows);
    }

    /** The set bits of {@code words} (LSB first, bits at or past {@code rows} clear) as runs. */
    static SelectedRuns of(long[] words, int rows) {
        int selected = 0;
        int boundaries = 0;
        long carry = 0;
        for (long w : words) {
            selected += Long.bitCount(w);
            // A run starts at each set bit whose predecessor (carried across words) is clear.
            boundaries += Long.bitCount(w & ~((w << 1) | carry));
            carry = w >>> 63;
        }
        int[] start = new int[boundaries];
        int[] length = new int[boundaries];
        int r = 0;
        int pos = 0;
        while (r < boundaries) {
            pos = nextSet(words, pos);
            int end = nextClear(words, pos, rows);
            start[r] = pos;
            length[r] = end - pos;
            r++;
            pos = end;
        }
        return new SelectedRuns(rows, selected, boundaries, start, length);
    }

    /** The first {@code (rows + 63) / 64} little-endian words of a bitmap, the bits at or past {@code rows} cleared. */
    static long[] words(ArrowBuf buf, int rows) {
        long[] words = new long[(rows + 63) >>> 6];
        int bytes = (rows + 7) >>> 3;
        MemorySegment seg = Segments.of(buf);
        int whole = bytes >>> 3;
        MemorySegment.copy(seg, WORD, 0, words, 0, whole);
        for (int b = whole << 3; b < bytes; b++) {
            words[b >>> 3] |= (seg.get(ValueLayout.JAVA_BYTE, b) & 0xFFL) << ((b & 7) << 3);
        }
        if ((rows & 63) != 0) {
            words[words.length - 1] &= (1L << (rows & 63)) - 1;
        }
        return words;
    }

    private static int nextSet(long[] words, int from) {
        int w = from >>> 6;
        long bits = words[w] & (-1L << (from & 63));
        while (bits == 0) {
            bits = words[++w];
        }
        return (w << 6) + Long.numberOfTrailingZeros(bits);
    }

    private static int nextClear(long[] words, int from, int rows) {
        int w = from >>> 6;
        long bits = ~words[w] & (-1L << (from & 63));
        while (bits == 0) {
            if (++w == words.length) {
                return rows;
            }
            bits = ~words[w];
        }
        return Math.min(rows, (w << 6) + Long.numberOfTrailingZeros(bits));
    }

    /** Rows the mask covers. */
    public int rows() {
        return rows;
    }

    /** Rows selected. */
    public int selected() {
        return selected;
    }

    /** Runs of consecutive selected rows. */
    public int runs() {
        return runCount;
    }

    public int runStart(int run) {
        return runStart[run];
    }

    public int runLength(int run) {
        return runLength[run];
    }

    /** The selected row numbers in order. */
    public int[] indices() {
        int[] out = new int[selected];
        int k = 0;
        for (int r = 0; r < runCount; r++) {
            for (int i = 0; i < runLength[r]; i++) {
                out[k++] = runStart[r] + i;
            }
        }
        return out;
    }

    /** A new root from {@code allocator} with the selected rows of {@code root}, in order. */
    public VectorSchemaRoot copy(VectorSchemaRoot root, BufferAllocator allocator) {
        List<FieldVector> out = new ArrayList<>();
        int[] indices = null;
        try {
            for (FieldVector v : root.getFieldVectors()) {
                FieldVector to = v.getField().createVector(allocator);
                out.add(to);
                to.setInitialCapacity(Math.max(selected, 1));
                to.allocateNew();
                if (v instanceof BaseFixedWidthVector fw && !(v instanceof BitVector)) {
                    copyFixedWidth(fw, (BaseFixedWidthVector) to);
                } else {
                    if (indices == null) {
                        indices = indices();
                    }
                    TransferPair tp = v.makeTransferPair(to);
                    for (int i = 0; i < selected; i++) {
                        tp.copyValueSafe(indices[i], i);
                    }
                }
                to.setValueCount(selected);
            }
        } catch (RuntimeException e) {
            out.forEach(FieldVector::close);
            throw e;
        }
        return new VectorSchemaRoot(root.getSchema().getFields(), out, selected);
    }

    private void copyFixedWidth(BaseFixedWidthVector from, BaseFixedWidthVector to) {
        int width = from.getTypeWidth();
        MemorySegment src = Segments.of(from.getDataBuffer());
        MemorySegment dst = Segments.of(to.getDataBuffer());
        int k = 0;
        for (int r = 0; r < runCount; r++) {
            int start = runStart[r];
            int len = runLength[r];
            if (len >= BULK_RUN) {
                MemorySegment.copy(src, (long) start * width, dst, (long) k * width, (long) len * width);
            } else if (width == 8) {
                for (int i = 0; i < len; i++) {
                    dst.set(ValueLayout.JAVA_LONG_UNALIGNED, (long) (k + i) << 3,
                            src.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) (start + i) << 3));
                }
            } else if (width == 4) {
                for (int i = 0; i < len; i++) {
                    dst.set(ValueLayout.JAVA_INT_UNALIGNED, (long) (k + i) << 2,
                            src.get(ValueLayout.JAVA_INT_UNALIGNED, (long) (start + i) << 2));
                }
            } else {
                MemorySegment.copy(src, (long) start * width, dst, (long) k * width, (long) len * width);
            }
            k += len;
        }
        copyValidity(from, to);
    }

    /** The validity bits of the selected rows, packed; all ones when {@code from} has no nulls. */
    private void copyValidity(FieldVector from, FieldVector to) {
        long[] out = new long[(selected + 63) >>> 6];
        if (from.getNullCount() == 0) {
            java.util.Arrays.fill(out, -1L);
        } else {
            long[] in = words(from.getValidityBuffer(), rows);
            int k = 0;
            for (int r = 0; r < runCount; r++) {
                copyBits(in, runStart[r], out, k, runLength[r]);
                k += runLength[r];
            }
        }
        if ((selected & 63) != 0 && out.length > 0) {
            out[out.length - 1] &= (1L << (selected & 63)) - 1;
        }
        MemorySegment dst = Segments.of(to.getValidityBuffer());
        int bytes = (selected + 7) >>> 3;
        int whole = bytes >>> 3;
        MemorySegment.copy(out, 0, dst, WORD, 0, whole);
        for (int b = whole << 3; b < bytes; b++) {
            dst.set(ValueLayout.JAVA_BYTE, b, (byte) (out[b >>> 3] >>> ((b & 7) << 3)));
        }
    }

    /** ORs bits {@code [srcPos, srcPos + len)} of {@code src} into {@code dst} from bit {@code dstPos} (clear there). */
    static void copyBits(long[] src, int srcPos, long[] dst, int dstPos, int len) {
        while (len > 0) {
            int chunk = Math.min(len, 64 - (dstPos & 63));
            int w = srcPos >>> 6;
            int off = srcPos & 63;
            long bits = src[w] >>> off;
            if (off + chunk > 64) {
                bits |= src[w + 1] << (64 - off);
            }
            if (chunk < 64) {
                bits &= (1L << chunk) - 1;
            }
            dst[dstPos >>> 6] |= bits << (dstPos & 63);
            srcPos += chunk;
            dstPos += chunk;
            len -= chunk;
        }
    }
}
