package dev.weft.data.internal.ops;

import dev.weft.data.internal.exec.BlockRef;
import java.io.Serializable;

/** Rows {@code [offset, offset + length)} of a block. */
public record Slice(BlockRef block, long offset, long length) implements Serializable {
    public Slice {
        if (offset < 0 || length < 0 || offset + length > block.numRows()) {
            throw new IllegalArgumentException("slice [" + offset + ", " + (offset + length) + ") is outside the block's "
                    + block.numRows() + " rows");
        }
    }

    boolean whole() {
        return offset == 0 && length == block.numRows();
    }
}
