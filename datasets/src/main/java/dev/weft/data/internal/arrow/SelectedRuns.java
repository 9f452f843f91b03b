package dev.weft.data.internal.arrow;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;

/**
 * The rows a boolean mask selects (true and not null), read 64 at a time from the mask's bitmaps, and the copy of
 * those rows out of a batch without an index per row: 4- and 8-byte columns a mask word at a time (a fully
 * selected word in one bulk copy, others without a branch per row), other fixed widths a run of consecutive
 * rows at a time, validity bits a word at a time. Not thread-safe; used by one filter call.
 */
public final class SelectedRuns {
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Runs shorter than this are copied value by value: a bulk copy's set-up costs more than a few loads. */
    private static final int BULK_RUN = 8;

    private final long[] words;
    private final int rows;
    private final int selected;
    /** The runs, found on first use (fixed-width columns of 4 and 8 bytes are copied from the words alone). */
    private int runCount = -1;
    private int[] runStart;
    private int[] runLength;

    private SelectedRuns(long[] words, int rows, int selected) {
        this.words = words;
        this.rows = rows;
        this.selected = selected;
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

    /** The set bits of {@code words} (LSB first, bits at or past {@code rows} clear). */
    static SelectedRuns of(long[] words, int rows) {
        int selected = 0;
        for (long w : words) {
            selected += Long.bitCount(w);
        }
        return new SelectedRuns(words, rows, selected);
    }

    private void findRuns() {
        if (runCount >= 0) {
            return;
        }
        int boundaries = 0;
        long carry = 0;
        for (long w : words) {
            // A run starts at each set bit whose predecessor (carried across words) is clear.
            boundaries += Long.bitCount(w & ~((w << 1) | carry));
            carry = w >>> 63;
        }
        int[] start = new int[boundaries];
        int[] length = new int[boundaries];
        int pos = 0;
        for (int r = 0; r < boundaries; r++) {
            pos = nextSet(words, pos);
            int end = nextClear(words, pos, rows);
            start[r] = pos;
            length[r] = end - pos;
            pos = end;
        }
        runStart = start;
        runLength = length;
        runCount = boundaries;
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
        findRuns();
        return runCount;
    }

    public int runStart(int run) {
        findRuns();
        return runStart[run];
    }

    public int runLength(int run) {
        findRuns();
        return runLength[run];
    }

    /** The selected row numbers in order. */
    public int[] indices() {
        findRuns();
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
                if (v instanceof BaseVariableWidthVector vw && to instanceof BaseVariableWidthVector tw) {
                    copyVariableWidth(vw, tw);
                    to.setValueCount(selected);
                    continue;
                }
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

    /**
     * Utf8 / binary with 32-bit offsets: each run of selected rows is one copy of its bytes, and its offsets are
     * shifted to where the run lands (no per-value {@code copyFromSafe} with its capacity checks).
     */
    private void copyVariableWidth(BaseVariableWidthVector from, BaseVariableWidthVector to) {
        findRuns();
        MemorySegment offsets = Segments.of(from.getOffsetBuffer());
        long total = 0;
        for (int r = 0; r < runCount; r++) {
            total += offsets.get(ValueLayout.JAVA_INT_UNALIGNED, 4L * (runStart[r] + runLength[r]))
                    - offsets.get(ValueLayout.JAVA_INT_UNALIGNED, 4L * runStart[r]);
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("column '" + from.getName() + "': the selected rows hold " + total
                    + " bytes, more than a utf8/binary column holds (2 GiB); use smaller batches");
        }
        to.allocateNew(Math.max(1, total), Math.max(selected, 1));
        MemorySegment data = Segments.of(from.getDataBuffer());
        MemorySegment outOffsets = Segments.of(to.getOffsetBuffer());
        MemorySegment outData = Segments.of(to.getDataBuffer());
        int at = 0;
        int k = 0;
        outOffsets.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 0);
        for (int r = 0; r < runCount; r++) {
            int start = runStart[r];
            int len = runLength[r];
            int base = offsets.get(ValueLayout.JAVA_INT_UNALIGNED, 4L * start);
            int end = offsets.get(ValueLayout.JAVA_INT_UNALIGNED, 4L * (start + len));
            MemorySegment.copy(data, base, outData, at, end - base);
            int shift = at - base;
            for (int i = 1; i <= len; i++) {
                outOffsets.set(ValueLayout.JAVA_INT_UNALIGNED, 4L * (k + i),
                        offsets.get(ValueLayout.JAVA_INT_UNALIGNED, 4L * (start + i)) + shift);
            }
            at += end - base;
            k += len;
        }
        copyValidity(from, to);
        to.setLastSet(selected - 1);
    }

    private void copyFixedWidth(BaseFixedWidthVector from, BaseFixedWidthVector to) {
        int width = from.getTypeWidth();
        MemorySegment src = Segments.of(from.getDataBuffer());
        MemorySegment dst = Segments.of(to.getDataBuffer());
        if (width == 8 || width == 4) {
            copyWords(src, dst, width);
        } else {
            findRuns();
            long k = 0;
            for (int r = 0; r < runCount; r++) {
                MemorySegment.copy(src, (long) runStart[r] * width, dst, k * width, (long) runLength[r] * width);
                k += runLength[r];
            }
        }
        copyValidity(from, to);
    }

    /** Rows staged on the heap at a time by {@link #copyWords} (64 mask words). */
    private static final int CHUNK = 4096;

    /**
     * Copies 4- or 8-byte values a mask word (64 rows) at a time: a fully selected word in one bulk copy, any
     * other without a branch per row (each row is stored at the next output slot, which advances only when the
     * row is kept), so a random mask costs no mispredicted branches. The values go through heap arrays a chunk
     * at a time, where the JIT drops the bounds checks it keeps on memory segments.
     */
    private void copyWords(MemorySegment src, MemorySegment dst, int width) {
        ValueLayout layout = width == 8 ? ValueLayout.JAVA_LONG_UNALIGNED : ValueLayout.JAVA_INT_UNALIGNED;
        long[] longsIn = width == 8 ? new long[CHUNK] : null;
        long[] longsOut = width == 8 ? new long[CHUNK + 1] : null;
        int[] intsIn = width == 4 ? new int[CHUNK] : null;
        int[] intsOut = width == 4 ? new int[CHUNK + 1] : null;
        long k = 0;
        for (int start = 0; start < rows; start += CHUNK) {
            int n = Math.min(CHUNK, rows - start);
            int kept = 0;
            if (width == 8) {
                MemorySegment.copy(src, layout, (long) start * width, longsIn, 0, n);
            } else {
                MemorySegment.copy(src, layout, (long) start * width, intsIn, 0, n);
            }
            for (int w = start >>> 6, end = (start + n + 63) >>> 6; w < end; w++) {
                long bits = words[w];
                if (bits == 0) {
                    continue;
                }
                int base = (w << 6) - start;
                int limit = Math.min(64, n - base);
                if (bits == -1L) {
                    if (width == 8) {
                        System.arraycopy(longsIn, base, longsOut, kept, 64);
                    } else {
                        System.arraycopy(intsIn, base, intsOut, kept, 64);
                    }
                    kept += 64;
                } else if (width == 8) {
                    for (int b = 0; b < limit; b++) {
                        longsOut[kept] = longsIn[base + b];
                        kept += (int) ((bits >>> b) & 1);
                    }
                } else {
                    for (int b = 0; b < limit; b++) {
                        intsOut[kept] = intsIn[base + b];
                        kept += (int) ((bits >>> b) & 1);
                    }
                }
            }
            if (width == 8) {
                MemorySegment.copy(longsOut, 0, dst, layout, k * width, kept);
            } else {
                MemorySegment.copy(intsOut, 0, dst, layout, k * width, kept);
            }
            k += kept;
        }
    }

    /** The validity bits of the selected rows, packed; all ones when {@code from} has no nulls. */
    private void copyValidity(FieldVector from, FieldVector to) {
        long[] out = new long[(selected + 63) >>> 6];
        if (from.getNullCount() == 0) {
            java.util.Arrays.fill(out, -1L);
        } else {
            long[] in = words(from.getValidityBuffer(), rows);
            int k = 0;
            for (int w = 0; w < words.length; w++) {
                if (words[w] != 0) {
                    // The validity bits of the kept rows of this word, packed (PEXT where the CPU has it).
                    long packed = Long.compress(in[w], words[w]);
                    int shift = k & 63;
                    out[k >>> 6] |= packed << shift;
                    if (shift != 0 && shift + Long.bitCount(words[w]) > 64) {
                        out[(k >>> 6) + 1] |= packed >>> (64 - shift);
                    }
                    k += Long.bitCount(words[w]);
                }
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
}
