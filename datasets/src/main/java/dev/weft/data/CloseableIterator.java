package dev.weft.data;

import java.util.Iterator;

/**
 * An iterator over resources (files, batches) that must be released: the consumer closes it, also when it
 * stops early. {@code close()} is idempotent. Not thread-safe.
 */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {
    @Override
    void close();
}
