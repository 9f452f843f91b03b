package dev.weft.store;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A pinned, read-only, zero-copy view of a stored object. While any view of an object is open the object
 * stays in memory (it is neither spilled nor freed, even if deleted meanwhile). The caller that got the view
 * closes it; {@code close()} is idempotent and also closes every {@link VectorSchemaRoot} made by
 * {@link #asArrow()}. A view may be read from several threads; it must not be used after close.
 */
public interface ObjectView extends AutoCloseable {

    /** The object's metadata (pin count and residency as of when the view was opened). */
    ObjectInfo info();

    /** The stored bytes as a read-only segment over store memory (no copy). */
    MemorySegment asSegment();

    /**
     * The stored bytes as a read-only direct buffer over store memory (no copy).
     *
     * @throws IllegalStateException if the object is larger than 2 GiB - 1 (use {@link #asSegment()})
     */
    ByteBuffer asByteBuffer();

    /** A heap copy of the bytes, for callers (such as {@link dev.weft.spi.Serializer}) that need an array. */
    byte[] toByteArray();

    /**
     * The record batch of an {@link Encoding#ARROW_IPC} object as a {@link VectorSchemaRoot} whose buffers are
     * slices of the stored buffer: no column data is copied or allocated. Each call makes a new root; all are
     * closed with this view (closing one earlier is allowed).
     *
     * @throws IllegalStateException if the object is not {@link Encoding#ARROW_IPC}
     */
    VectorSchemaRoot asArrow();

    @Override
    void close();
}
