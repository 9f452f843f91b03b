package dev.weft.spill;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * A {@link SpillWriter} that can rewrite bytes it already wrote (positional writes: local files, not upload
 * streams such as S3). Lets a record header carry a checksum computed while the data streamed out.
 */
public interface PatchableSpillWriter extends SpillWriter {

    /** Overwrites {@code bytes.byteSize()} bytes at {@code position}, which must lie before {@link #position()}. */
    void patch(long position, MemorySegment bytes) throws IOException;
}
