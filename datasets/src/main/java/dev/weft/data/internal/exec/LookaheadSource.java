package dev.weft.data.internal.exec;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Supplier;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A join input as one attempt reads it: blocks pulled ahead (to size the side, or to sample its keys) are handed
 * out again, first, by {@link #next}; the schema is the first non-empty block's, else the plan's. Blocks still
 * ahead when the attempt ends must be given back with {@link #releaseAhead}. Used by the driver thread only.
 */
final class LookaheadSource implements BlockSource {
    private final BlockSource source;
    private final Supplier<Schema> planSchema;
    private final ArrayDeque<BlockRef> ahead = new ArrayDeque<>();
    private long aheadBytes;
    private boolean ended;
    private Schema schema;

    /**
     * {@code planSchema} gives the schema when the side has no non-empty block (may run the plan); null when the
     * caller knows the schemas already ({@link #schemaJson} is then not available).
     */
    LookaheadSource(BlockSource source, Supplier<Schema> planSchema) {
        this.source = source;
        this.planSchema = planSchema;
    }

    /** Pulls the next non-empty block ahead (releasing empty ones); false once the side has ended. */
    boolean pullAhead() {
        while (!ended && source.hasNext()) {
            BlockRef b = source.next();
            if (b.numRows() == 0) {
                source.release(b);
                continue;
            }
            noteSchema(b);
            ahead.add(b);
            aheadBytes += b.sizeBytes();
            return true;
        }
        ended = true;
        return false;
    }

    /** Whether every block of the side has been pulled ahead or handed out. */
    boolean ended() {
        return ended;
    }

    long aheadBytes() {
        return aheadBytes;
    }

    int aheadBlocks() {
        return ahead.size();
    }

    /** The blocks pulled ahead and not handed out yet, in order (they stay ahead). */
    List<BlockRef> ahead() {
        return List.copyOf(ahead);
    }

    /** Gives back every block still ahead. */
    void releaseAhead() {
        while (!ahead.isEmpty()) {
            BlockRef b = ahead.poll();
            aheadBytes -= b.sizeBytes();
            source.release(b);
        }
    }

    /** The side's schema as JSON: its first non-empty block's, else its plan's. */
    String schemaJson() {
        if (schema == null) {
            schema = planSchema.get();
        }
        return schema.toJson();
    }

    @Override
    public boolean hasNext() {
        return !ahead.isEmpty() || (!ended && source.hasNext());
    }

    @Override
    public BlockRef next() {
        if (!ahead.isEmpty()) {
            BlockRef b = ahead.poll();
            aheadBytes -= b.sizeBytes();
            return b;
        }
        BlockRef b = source.next();
        noteSchema(b);
        return b;
    }

    @Override
    public boolean release(BlockRef block) {
        return source.release(block);
    }

    private void noteSchema(BlockRef b) {
        if (schema == null && planSchema != null && b.numRows() > 0) {
            try (VectorSchemaRoot root = b.ref().get()) {
                schema = root.getSchema();
            }
        }
    }
}
