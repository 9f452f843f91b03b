package dev.weft.store;

/**
 * Where the store's off-heap bytes come from. Either way every byte is accounted in the store's Arrow
 * {@code BufferAllocator} tree (limit = capacity; closing with memory held fails loudly).
 */
public enum MemoryBackend {
    /** Arrow's default allocation manager (Netty): {@code allocator.buffer(size)}. */
    ARROW,
    /**
     * FFM memory ({@code malloc} through the FFM linker; no zeroing) handed to Arrow with
     * {@code BufferAllocator.wrapForeignAllocation}. Exact accounting, nothing pooled.
     */
    FFM,
    /**
     * FFM memory from one region of the store's capacity, reserved with {@code mmap} (no swap reservation, huge
     * pages requested) and carved by a best-fit free list; freed blocks keep their pages, so a later object reuses
     * them without page faults. Falls back to {@link #FFM} for an object when fragmentation leaves no block large
     * enough. Resident memory grows to the peak use (never above capacity) and is returned when the store closes.
     */
    POOLED
}
