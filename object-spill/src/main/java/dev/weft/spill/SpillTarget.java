package dev.weft.spill;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.URI;

/**
 * One spill location (a local directory, or a Hadoop {@code FileSystem} URI such as {@code s3a://bucket/prefix})
 * that holds spill files by name. Thread-safe: several writers and many positional readers may work at once.
 * Open with {@link SpillTargets#open}; the store that opened it closes it.
 */
public interface SpillTarget extends AutoCloseable {

    /** The location, as configured. */
    URI uri();

    /** The full location of file {@code name}, for messages. */
    String describe(String name);

    /**
     * Checks the location can be created and written by writing and deleting a probe file.
     *
     * @throws IOException naming the location and the cause
     */
    void checkWritable() throws IOException;

    /** Starts a new spill file; the caller writes records then {@link SpillWriter#commit()}s or {@link SpillWriter#abort()}s. */
    SpillWriter create(String name) throws IOException;

    /**
     * Reads exactly {@code target.byteSize()} bytes at {@code offset} of file {@code name} into {@code target}.
     *
     * @throws java.io.EOFException if the file ends first (truncated)
     * @throws java.io.FileNotFoundException or {@link java.nio.file.NoSuchFileException} if the file is gone
     */
    default void read(String name, long offset, MemorySegment target) throws IOException {
        read(name, offset, target, slice -> { });
    }

    /**
     * Like {@link #read(String, long, MemorySegment)}, calling {@code onSlice} with each consecutive slice of
     * {@code target} as soon as it is filled (at most a few MiB, still in cache: a checksum over it costs no
     * second trip to memory).
     */
    void read(String name, long offset, MemorySegment target, SliceConsumer onSlice) throws IOException;

    /**
     * Reads a record: {@code head.byteSize()} bytes at {@code offset} into {@code head}, then the bytes that
     * follow them into {@code body}, calling {@code onBodySlice} as {@link #read(String, long, MemorySegment,
     * SliceConsumer)} does. Targets where each request costs a round trip (object stores) serve it as one
     * sequential request; the default is two positional reads.
     */
    default void readRecord(String name, long offset, MemorySegment head, MemorySegment body,
                            SliceConsumer onBodySlice) throws IOException {
        read(name, offset, head);
        read(name, offset + head.byteSize(), body, onBodySlice);
    }

    /** Receives filled slices of a read, in order. */
    @FunctionalInterface
    interface SliceConsumer {
        void accept(MemorySegment slice);
    }

    /** Deletes file {@code name}; a missing file is not an error. */
    void delete(String name) throws IOException;

    @Override
    void close() throws IOException;
}
