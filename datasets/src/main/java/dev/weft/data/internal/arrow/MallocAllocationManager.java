package dev.weft.data.internal.arrow;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.apache.arrow.memory.AllocationManager;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.memory.ReferenceManager;

/**
 * Arrow buffers from the C allocator ({@code malloc}/{@code free} through the FFM linker), for the datasets
 * library's own batches. Arrow's default (Netty) manager zeroes every chunk it takes from the system, and under the
 * churn of a scan — batches made, put into the object store, freed — it kept taking new ones: zeroing was 7 % of a
 * projection scan's samples. {@code malloc} reuses freed memory without clearing it; Arrow never relies on fresh
 * buffers being zero (vectors clear their validity and offset buffers themselves). Accounting, limits and leak
 * checks stay with Arrow's allocator tree.
 */
final class MallocAllocationManager extends AllocationManager {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MALLOC = LINKER.downcallHandle(LINKER.defaultLookup().find("malloc").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle FREE = LINKER.downcallHandle(LINKER.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    /** The zero-length buffer every allocator hands out for empty requests: one byte, never freed. */
    private static final ArrowBuf EMPTY = new ArrowBuf(ReferenceManager.NO_OP, null, 0, malloc(1));

    static final AllocationManager.Factory FACTORY = new AllocationManager.Factory() {
        @Override
        public AllocationManager create(BufferAllocator accountingAllocator, long size) {
            return new MallocAllocationManager(accountingAllocator, size);
        }

        @Override
        public ArrowBuf empty() {
            return EMPTY;
        }
    };

    private final long address;
    private final long size;

    private MallocAllocationManager(BufferAllocator accountingAllocator, long size) {
        super(accountingAllocator);
        this.address = malloc(size);
        this.size = size;
    }

    @Override
    public long getSize() {
        return size;
    }

    @Override
    protected long memoryAddress() {
        return address;
    }

    @Override
    protected void release0() {
        try {
            FREE.invokeExact(MemorySegment.ofAddress(address));
        } catch (Throwable t) {
            throw new IllegalStateException("free of " + size + " bytes at " + address + " failed", t);
        }
    }

    private static long malloc(long size) {
        MemorySegment p;
        try {
            p = (MemorySegment) MALLOC.invokeExact(Math.max(1, size));
        } catch (Throwable t) {
            throw new IllegalStateException("malloc of " + size + " bytes failed", t);
        }
        if (p.address() == 0) {
            throw new OutOfMemoryException("malloc of " + size + " bytes for a datasets buffer failed");
        }
        return p.address();
    }
}
