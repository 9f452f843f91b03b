package dev.weft.store.internal;

import dev.weft.store.CopyKind;
import dev.weft.store.Encoding;
import dev.weft.store.ObjectId;
import dev.weft.store.ObjectInfo;
import dev.weft.store.Residency;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import org.apache.arrow.memory.ArrowBuf;

/**
 * One object's bookkeeping. The immutable fields describe the sealed object; every mutable field is guarded by
 * the store's lock. The bytes behind {@link #buffer} are immutable and may be read without the lock while the
 * object is pinned or being spilled (neither state frees them).
 */
final class StoredObject {
    final ObjectId id;
    final long size;
    final long allocated;
    final Encoding encoding;
    final String owner;
    final CopyKind copyKind;

    /** Off-heap bytes, or null when the object lives only in its spill file. */
    ArrowBuf buffer;
    int pins;
    /** A spill write holding this object is in flight. */
    boolean spilling;
    /** Set while one reader restores the object; others wait on it. */
    CompletableFuture<Void> restoring;
    /** Removed from the store; freed when no view, spill or restore still needs it. */
    boolean deleted;
    /** Durable copy, if any: the spill file and the record's offset in it. */
    SpillFile file;
    long offset;
    /** Parsed Arrow IPC metadata, cached by the first view (immutable; a racing second parse is harmless). */
    volatile ArrowIpc.Layout arrowLayout;

    StoredObject(ObjectId id, long size, long allocated, Encoding encoding, String owner, CopyKind copyKind,
                 ArrowBuf buffer) {
        this.id = id;
        this.size = size;
        this.allocated = allocated;
        this.encoding = encoding;
        this.owner = owner;
        this.copyKind = copyKind;
        this.buffer = buffer;
    }

    MemorySegment segment() {
        return MemorySegment.ofAddress(buffer.memoryAddress()).reinterpret(size);
    }

    boolean inMemory() {
        return buffer != null;
    }

    Residency residency() {
        if (restoring != null) {
            return Residency.RESTORING;
        }
        if (buffer == null) {
            return Residency.SPILLED;
        }
        if (spilling) {
            return Residency.SPILLING;
        }
        return file != null ? Residency.IN_MEMORY_AND_SPILLED : Residency.IN_MEMORY;
    }

    ObjectInfo info() {
        return new ObjectInfo(id, size, encoding, owner, copyKind, pins, residency());
    }
}
