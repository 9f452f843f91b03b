package dev.weft.data.internal.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The one root allocator of the datasets library in this JVM. Operators and tasks take child allocators from
 * it and close them when done, so a leak shows as a child that cannot close (Arrow fails loudly) and tests can
 * check {@link #root()} is back at zero.
 */
public final class DataAllocators {
    private static final RootAllocator ROOT = newRoot();

    private static RootAllocator newRoot() {
        JvmFlags.require();
        return new RootAllocator(RootAllocator.configBuilder()
            .allocationManagerFactory(MallocAllocationManager.FACTORY).maxAllocation(Long.MAX_VALUE).build());
    }

    private static final ThreadLocal<BufferAllocator> TASK = new ThreadLocal<>();

    private DataAllocators() {
    }

    /** Whether {@code allocator} belongs to this library's tree (not, e.g., an object store's zero-copy view). */
    public static boolean owns(BufferAllocator allocator) {
        return allocator.getRoot() == ROOT;
    }

    /** The allocator of the task running on this thread, else the root. */
    public static BufferAllocator current() {
        BufferAllocator a = TASK.get();
        return a != null ? a : ROOT;
    }

    /** Makes {@code allocator} this thread's task allocator; returns the previous one to restore. */
    public static BufferAllocator enterTask(BufferAllocator allocator) {
        BufferAllocator previous = TASK.get();
        TASK.set(allocator);
        return previous;
    }

    public static void exitTask(BufferAllocator previous) {
        if (previous == null) {
            TASK.remove();
        } else {
            TASK.set(previous);
        }
    }

    public static BufferAllocator root() {
        return ROOT;
    }

    /** A child of the root for one task or operator; the caller closes it. */
    public static BufferAllocator child(String name) {
        return ROOT.newChildAllocator(name, 0, Long.MAX_VALUE);
    }
}
