package dev.weft.data;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;

/**
 * What a running {@link ReadTask} or {@link Datasink} write gets from the engine: an allocator for its
 * batches, the settings, and counters that end up in {@code Dataset.stats()} (for instance
 * {@code bytesRead}, {@code rowGroupsRead}, {@code rowGroupsSkipped}). Used by one task at a time; the
 * counters are thread-safe anyway so a source may decode on helper threads. The engine owns and closes the
 * allocator.
 */
public final class ReadContext {
    /** Counter name for bytes read from storage. */
    public static final String BYTES_READ = "bytesRead";
    /** Counter name for files skipped under {@code ignoreCorruptFiles}. */
    public static final String CORRUPT_FILES_SKIPPED = "corruptFilesSkipped";

    private final BufferAllocator allocator;
    private final DataContext dataContext;
    private final Map<String, Long> counters = new TreeMap<>();
    private final Map<String, String> skippedFiles = new TreeMap<>();

    public ReadContext(BufferAllocator allocator, DataContext dataContext) {
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.dataContext = Objects.requireNonNull(dataContext, "dataContext");
    }

    /** Where the task's batches are allocated. */
    public BufferAllocator allocator() {
        return allocator;
    }

    public DataContext dataContext() {
        return dataContext;
    }

    /** Adds {@code delta} to the counter {@code name}. */
    public synchronized void addCounter(String name, long delta) {
        counters.merge(name, delta, Long::sum);
    }

    /** Records that {@code file} was skipped under {@code ignoreCorruptFiles}, and why. */
    public synchronized void recordCorruptFileSkipped(String file, Throwable cause) {
        skippedFiles.put(file, String.valueOf(cause));
        addCounter(CORRUPT_FILES_SKIPPED, 1);
    }

    /** A snapshot of the counters. */
    public synchronized Map<String, Long> counters() {
        return Map.copyOf(counters);
    }

    /** A snapshot of the skipped files and their reasons. */
    public synchronized Map<String, String> skippedFiles() {
        return Map.copyOf(skippedFiles);
    }
}
