package dev.weft.data.internal.exec;

import java.util.Iterator;
import java.util.List;

/**
 * The input blocks of a streaming exchange, pulled one at a time as the exchange's byte budget allows (so an
 * upstream pipeline feeding it stays back-pressured). Used by the exchange's driver thread only.
 */
public interface BlockSource {
    /** Whether another block comes; may block while the upstream produces it. */
    boolean hasNext();

    /** The next block; the exchange hands it back through {@link #release} once its map task finished. */
    BlockRef next();

    /**
     * The exchange no longer needs {@code block}. Returns whether the block stays readable afterwards (the caller
     * keeps owning it), in which case a failed attempt of the exchange may read it again; a source that frees the
     * block returns false.
     */
    boolean release(BlockRef block);

    /** A source over blocks the caller keeps owning: nothing is freed, so any attempt can start again. */
    static BlockSource of(List<BlockRef> blocks) {
        Iterator<BlockRef> it = blocks.iterator();
        return new BlockSource() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public BlockRef next() {
                return it.next();
            }

            @Override
            public boolean release(BlockRef block) {
                return true;
            }
        };
    }
}
