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
    FFM
}
