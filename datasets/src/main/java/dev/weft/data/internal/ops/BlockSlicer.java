package dev.weft.data.internal.ops;

import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.data.internal.arrow.Batches;
import dev.weft.data.internal.arrow.DataAllocators;
import dev.weft.data.internal.exec.BlockRef;
import dev.weft.data.internal.kernels.ColumnGather;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Cuts an ordered list of blocks at global row positions and builds the pieces: whole blocks are reused as they
 * are (no copy), rows cut out of a block are copied by a task into a new block. The driver only reads row
 * counts, never values.
 */
public final class BlockSlicer {
    private BlockSlicer() {
    }

    /** Total rows of {@code blocks}. */
    public static long rows(List<BlockRef> blocks) {
        long n = 0;
        for (BlockRef b : blocks) {
            n += b.numRows();
        }
        return n;
    }

    /**
     * The slices of {@code blocks} between consecutive {@code cuts} (global row positions, non-decreasing, the
     * first 0 and the last the total row count): one list of slices per segment, in order.
     */
    public static List<List<Slice>> cut(List<BlockRef> blocks, long[] cuts) {
        List<List<Slice>> segments = new ArrayList<>();
        int bi = 0;
        long blockStart = 0;
        for (int s = 0; s + 1 < cuts.length; s++) {
            long from = cuts[s];
            long to = cuts[s + 1];
            List<Slice> seg = new ArrayList<>();
            while (from < to) {
                BlockRef b = blocks.get(bi);
                long blockEnd = blockStart + b.numRows();
                if (from >= blockEnd) {
                    bi++;
                    blockStart = blockEnd;
                    continue;
                }
                long end = Math.min(to, blockEnd);
                seg.add(new Slice(b, from - blockStart, end - from));
                from = end;
            }
            segments.add(seg);
        }
        return segments;
    }

    /**
     * Each segment as blocks: whole blocks reused, partial ones copied by tasks (launched together). The new blocks
     * are the caller's; on failure every new block is released.
     */
    public static List<List<BlockRef>> piecewise(Weft weft, List<List<Slice>> segments) {
        List<List<Object>> staged = new ArrayList<>();
        List<ObjectRef<BlockRef>> launched = new ArrayList<>();
        for (List<Slice> seg : segments) {
            List<Object> items = new ArrayList<>();
            for (Slice s : seg) {
                if (s.whole()) {
                    items.add(s.block());
                } else {
                    ObjectRef<BlockRef> r = weft.task(BlockSlicer::copySlices, List.of(s), s.block())
                            .name("SliceBlock#" + launched.size()).remote();
                    launched.add(r);
                    items.add(r);
                }
            }
            staged.add(items);
        }
        List<BlockRef> made = await(weft, launched);
        List<List<BlockRef>> out = new ArrayList<>();
        int k = 0;
        for (List<Object> items : staged) {
            List<BlockRef> blocks = new ArrayList<>();
            for (Object o : items) {
                blocks.add(o instanceof BlockRef b ? b : made.get(k++));
            }
            out.add(blocks);
        }
        return out;
    }

    /**
     * Each segment as exactly one block (a whole block is reused; anything else is copied by a task; an empty
     * segment becomes an empty block with the schema of {@code schemaBlock}).
     */
    public static List<BlockRef> oneBlockEach(Weft weft, List<List<Slice>> segments, BlockRef schemaBlock) {
        List<Object> items = new ArrayList<>();
        List<ObjectRef<BlockRef>> launched = new ArrayList<>();
        for (List<Slice> seg : segments) {
            if (seg.size() == 1 && seg.getFirst().whole()) {
                items.add(seg.getFirst().block());
            } else {
                ObjectRef<BlockRef> r = weft.task(BlockSlicer::copySlices, seg, schemaBlock)
                        .name("CoalesceBlocks#" + launched.size()).remote();
                launched.add(r);
                items.add(r);
            }
        }
        List<BlockRef> made = await(weft, launched);
        List<BlockRef> out = new ArrayList<>();
        int k = 0;
        for (Object o : items) {
            out.add(o instanceof BlockRef b ? b : made.get(k++));
        }
        return out;
    }

    /** The tasks' blocks in order; on failure releases every block already made. */
    static List<BlockRef> await(Weft weft, List<ObjectRef<BlockRef>> launched) {
        List<BlockRef> made = new ArrayList<>();
        try {
            for (ObjectRef<BlockRef> r : launched) {
                made.add(r.get());
            }
            return made;
        } catch (RuntimeException | Error e) {
            made.forEach(b -> b.ref().close());
            for (int i = made.size(); i < launched.size(); i++) {
                try {
                    launched.get(i).get().ref().close();
                } catch (RuntimeException ignored) {
                    // that task failed too; it made no block
                }
            }
            throw e;
        } finally {
            launched.forEach(ObjectRef::close);
        }
    }

    /**
     * Task: the rows of {@code slices} copied into one new block ({@code schemaBlock} gives the schema when there
     * are no slices).
     */
    public static BlockRef copySlices(List<Slice> slices, BlockRef schemaBlock) {
        List<VectorSchemaRoot> batches = new ArrayList<>();
        try (BufferAllocator allocator = DataAllocators.child("SliceBlocks")) {
            try {
                if (slices.isEmpty()) {
                    try (VectorSchemaRoot first = schemaBlock.ref().get();
                         VectorSchemaRoot empty = Batches.empty(first.getSchema(), allocator)) {
                        return put(empty, List.of());
                    }
                }
                int total = 0;
                for (Slice s : slices) {
                    batches.add(s.block().ref().get());
                    total += (int) s.length();
                }
                int[] src = new int[total];
                int[] rows = new int[total];
                int k = 0;
                for (int i = 0; i < slices.size(); i++) {
                    Slice s = slices.get(i);
                    for (long r = s.offset(); r < s.offset() + s.length(); r++, k++) {
                        src[k] = i;
                        rows[k] = (int) r;
                    }
                }
                LinkedHashSet<String> files = new LinkedHashSet<>();
                slices.forEach(s -> files.addAll(s.block().inputFiles()));
                try (VectorSchemaRoot out = ColumnGather.gatherMany(batches.getFirst().getSchema(), batches, src, rows,
                        total, allocator)) {
                    return put(out, List.copyOf(files));
                }
            } finally {
                batches.forEach(VectorSchemaRoot::close);
            }
        }
    }

    /** Stores {@code batch} (the caller still closes it) as a block. */
    static BlockRef put(VectorSchemaRoot batch, List<String> inputFiles) {
        long size = Batches.sizeBytes(batch);
        return new BlockRef(Weft.current().put(batch), batch.getRowCount(), size, inputFiles);
    }
}
