package dev.weft.store.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One virtual memory region of the store's capacity (mmap, no swap reservation, transparent huge pages asked
 * for) carved into objects by a best-fit free list with coalescing. Pages are faulted in on first use and then
 * stay: a freed block is reused without the page faults and zeroing that a fresh allocation pays, which is
 * what makes {@code put} run near memory-copy speed (Plasma's preallocated arena, without committing the whole
 * capacity up front). Thread-safe (one monitor; allocation is a couple of tree operations).
 */
final class PooledRegion implements AutoCloseable {
    private static final long ALIGN = 64;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS_NORESERVE = 0x02 | 0x20 | 0x4000;
    private static final int MADV_HUGEPAGE = 14;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("mmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("munmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle MADVISE = LINKER.downcallHandle(LINKER.defaultLookup().find("madvise").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));

    private final long base;
    private final long size;
    /** Free blocks by start address (for coalescing). */
    private final TreeMap<Long, Long> freeByAddress = new TreeMap<>();
    /** Free blocks ordered by size then address (for best fit); each entry is {size, address}. */
    private final TreeSet<long[]> freeBySize = new TreeSet<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
            : Long.compare(a[1], b[1]));
    private boolean closed;

    PooledRegion(long capacity) {
        this.size = align(Math.max(capacity, ALIGN));
        try {
            MemorySegment p = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, size, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS_NORESERVE, -1, 0L);
            if (p.address() == -1L || p.address() == 0) {
                throw new IllegalStateException("mmap of a " + size + "-byte object store region failed");
            }
            this.base = p.address();
            int ignored = (int) MADVISE.invokeExact(p, size, MADV_HUGEPAGE);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mmap of a " + size + "-byte object store region failed", t);
        }
        insert(base, size);
    }

    static long align(long n) {
        return (n + ALIGN - 1) & -ALIGN;
    }

    /** The address of a block of at least {@code bytes}, or 0 if no free block is large enough (fragmentation). */
    synchronized long allocate(long bytes) {
        long want = align(Math.max(bytes, 1));
        long[] fit = freeBySize.ceiling(new long[] {want, Long.MIN_VALUE});
        if (fit == null || closed) {
            return 0;
        }
        remove(fit[1], fit[0]);
        if (fit[0] > want) {
            insert(fit[1] + want, fit[0] - want);
        }
        return fit[1];
    }

    /** Gives back a block from {@link #allocate} of the same {@code bytes}, merging it with free neighbours. */
    synchronized void free(long address, long bytes) {
        long start = address;
        long length = align(Math.max(bytes, 1));
        Map.Entry<Long, Long> before = freeByAddress.floorEntry(start);
        if (before != null && before.getKey() + before.getValue() == start) {
            remove(before.getKey(), before.getValue());
            start = before.getKey();
            length += before.getValue();
        }
        Long afterSize = freeByAddress.get(start + length);
        if (afterSize != null) {
            remove(start + length, afterSize);
            length += afterSize;
        }
        insert(start, length);
    }

    synchronized long freeBytes() {
        long sum = 0;
        for (long v : freeByAddress.values()) {
            sum += v;
        }
        return sum;
    }

    private void insert(long address, long length) {
        freeByAddress.put(address, length);
        freeBySize.add(new long[] {length, address});
    }

    private void remove(long address, long length) {
        freeByAddress.remove(address);
        freeBySize.remove(new long[] {length, address});
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int ignored = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(base), size);
        } catch (Throwable t) {
            throw new IllegalStateException("munmap of the object store region failed", t);
        }
    }
}
