package dev.weft.store.internal;

import dev.weft.store.MemoryBackend;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.AllocationListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ForeignAllocation;
import org.apache.arrow.memory.RootAllocator;

/**
 * The store's allocator tree: a root, an {@code objects} child limited to exactly the capacity (stored bytes),
 * and a {@code views} child that holds the vectors of Arrow roots handed to readers. Those slice stored buffers,
 * so a view itself allocates nothing; but what a reader derives from one does: a slice at a row that is not a
 * multiple of 8 gets its own validity bitmap, charged to the source vector's allocator. That is the reader's
 * memory, proportional to the batches it holds, so {@code views} has no limit of its own: a fixed headroom
 * made reads fail under load on small stores. Closing checks that everything was given back, and fails
 * naming what was not.
 */
final class StoreMemory implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MALLOC = LINKER.downcallHandle(
            LINKER.defaultLookup().find("malloc").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle FREE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));

    private final MemoryBackend backend;
    private final BufferAllocator root;
    private final BufferAllocator objects;
    private final BufferAllocator views;
    private final PooledRegion region;

    StoreMemory(String name, long capacity, MemoryBackend backend) {
        this.backend = backend;
        // Exact sizes: the default policy rounds small buffers up to a power of two, which would waste capacity.
        this.root = new RootAllocator(AllocationListener.NOOP, Long.MAX_VALUE, size -> size);
        this.objects = root.newChildAllocator(name + "-objects", 0, capacity);
        this.views = root.newChildAllocator(name + "-views", 0, Long.MAX_VALUE);
        this.region = backend == MemoryBackend.POOLED ? new PooledRegion(capacity) : null;
    }

    /** Allocates {@code size} bytes of uninitialised memory, accounted to the objects allocator. */
    ArrowBuf allocate(long size) {
        if (backend == MemoryBackend.ARROW) {
            return objects.buffer(size);
        }
        if (region != null) {
            long pooled = region.allocate(size);
            if (pooled != 0) {
                try {
                    return objects.wrapForeignAllocation(new ForeignAllocation(size, pooled) {
                        @Override
                        protected void release0() {
                            region.free(pooled, size);
                        }
                    });
                } catch (RuntimeException e) {
                    region.free(pooled, size);
                    throw e;
                }
            }
        }
        long address = malloc(size);
        try {
            return objects.wrapForeignAllocation(new ForeignAllocation(size, address) {
                @Override
                protected void release0() {
                    free(address);
                }
            });
        } catch (RuntimeException e) {
            free(address);
            throw e;
        }
    }

    BufferAllocator objects() {
        return objects;
    }

    BufferAllocator views() {
        return views;
    }

    private static long malloc(long size) {
        try {
            MemorySegment p = (MemorySegment) MALLOC.invokeExact(size);
            if (p.address() == 0) {
                throw new OutOfMemoryError("malloc of " + size + " bytes failed");
            }
            return p.address();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("malloc of " + size + " bytes failed", t);
        }
    }

    private static void free(long address) {
        try {
            FREE.invokeExact(MemorySegment.ofAddress(address));
        } catch (Throwable t) {
            throw new IllegalStateException("free of 0x" + Long.toHexString(address) + " failed", t);
        }
    }

    /** Closes the tree; throws {@link IllegalStateException} (Arrow's leak report) if memory is still held. */
    @Override
    public void close() {
        try {
            views.close();
            objects.close();
            root.close();
        } catch (IllegalStateException leak) {
            // Leaked buffers may still be read: keep the region mapped rather than turn a leak into a crash.
            throw leak;
        }
        if (region != null) {
            region.close();
        }
    }
}
