package dev.weft.data.internal.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The one root allocator of the datasets library in this JVM. Operators and tasks take child allocators from
 * it and close them when done, so a leak shows as a child that cannot close (Arrow fails loudly) and tests can
 * check {@link #root()} is back at zero.
 */
public final class DataAllocators {
    private static final RootAllocator ROOT = new RootAllocator(Long.MAX_VALUE);

    private DataAllocators() {
    }

    public static BufferAllocator root() {
        return ROOT;
    }

    /** A child of the root for one task or operator; the caller closes it. */
    public static BufferAllocator child(String name) {
        return ROOT.newChildAllocator(name, 0, Long.MAX_VALUE);
    }
}
