package dev.weft.spill;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * Reads the records of one spill file through one open stream, moving forward. On an object store every
 * new stream or backward seek is a new ranged GET (and the first open a HEAD), while reading on along an open
 * stream costs nothing extra; so concurrent restores of objects in the same file are served by whichever
 * caller holds the stream, all pending requests at once in file order from where the stream stands (flat
 * combining), and the stream stays open for the next. Different files have different readers, so restores
 * run in parallel across files.
 *
 * <p>Thread-safe. A request's bytes, and its slice callbacks, may be handled on another caller's thread; the
 * caller returns only after its request is complete.
 */
final class SequentialFileReader {
    /** Forward gaps up to this are read and dropped: cheaper than a new GET. */
    private static final long SKIP_LIMIT = 1 << 20;

    /** Opens the file's stream positioned at 0. */
    @FunctionalInterface
    interface Opener {
        FSDataInputStream open() throws IOException;
    }

    /** Lends heap chunks for copying from the stream to off-heap memory. */
    interface Chunks {
        byte[] take();

        void give(byte[] chunk);
    }

    private final String file;
    private final Opener opener;
    private final Chunks chunks;
    private final ReentrantLock lock = new ReentrantLock();
    /** Requests waiting for the stream (guarded by its own monitor, never held while reading). */
    private final List<Request> pending = new ArrayList<>();
    /** Guarded by {@link #lock}. */
    private FSDataInputStream in;
    private long position;
    private boolean closed;
    /** Last use, for closing idle streams (read without the lock; a stale value only delays a close). */
    volatile long lastUse = System.nanoTime();

    SequentialFileReader(String file, Opener opener, Chunks chunks) {
        this.file = file;
        this.opener = opener;
        this.chunks = chunks;
    }

    /** Reads {@code head} then {@code body} from {@code offset}; see {@link SpillTarget#readRecord}. */
    void read(long offset, MemorySegment head, MemorySegment body, SpillTarget.SliceConsumer onBodySlice)
            throws IOException {
        Request mine = new Request(offset, head, body, onBodySlice);
        synchronized (pending) {
            pending.add(mine);
        }
        lock.lock();
        try {
            // Whoever held the stream may already have served this request; otherwise it is still pending.
            while (!mine.done) {
                List<Request> batch;
                synchronized (pending) {
                    batch = new ArrayList<>(pending);
                    pending.clear();
                }
                serve(batch);
            }
        } finally {
            lock.unlock();
        }
        lastUse = System.nanoTime();
        if (mine.failure != null) {
            if (mine.failure instanceof InterruptedIOException) {
                throw new InterruptedIOException(mine.failure.getMessage());
            }
            throw new IOException(mine.failure.getMessage(), mine.failure);
        }
    }

    /** Serves a batch in one forward sweep from the stream's position, then wraps around once (an elevator). */
    private void serve(List<Request> batch) {
        batch.sort(Comparator.comparingLong(r -> r.offset));
        int start = 0;
        while (start < batch.size() && in != null && batch.get(start).offset < position) {
            start++;
        }
        byte[] chunk = chunks.take();
        try {
            for (int i = 0; i < batch.size(); i++) {
                Request r = batch.get((start + i) % batch.size());
                try {
                    if (closed) {
                        throw new IOException("spill file " + file + " was closed while a restore waited for it");
                    }
                    seek(r.offset, chunk);
                    copy(r.head, chunk, null);
                    copy(r.body, chunk, r.onBodySlice);
                } catch (IOException | RuntimeException e) {
                    // A short or broken stream: fail this request only; the next one reopens.
                    r.failure = e instanceof IOException io ? io : new IOException(e.toString(), e);
                    closeStream();
                } finally {
                    r.done = true;
                }
            }
        } finally {
            chunks.give(chunk);
        }
    }

    private void seek(long offset, byte[] chunk) throws IOException {
        if (in != null && offset >= position && offset - position <= SKIP_LIMIT) {
            while (position < offset) {
                int len = (int) Math.min(chunk.length, offset - position);
                in.readFully(chunk, 0, len);
                position += len;
            }
            return;
        }
        if (in == null) {
            in = opener.open();
            position = 0;
        }
        if (offset != position) {
            in.seek(offset);
            position = offset;
        }
    }

    private void copy(MemorySegment target, byte[] chunk, SpillTarget.SliceConsumer onSlice) throws IOException {
        MemorySegment heap = MemorySegment.ofArray(chunk);
        long size = target.byteSize();
        long done = 0;
        while (done < size) {
            int len = (int) Math.min(chunk.length, size - done);
            in.readFully(chunk, 0, len);
            position += len;
            MemorySegment.copy(heap, 0, target, done, len);
            if (onSlice != null) {
                onSlice.accept(target.asSlice(done, len));
            }
            done += len;
        }
    }

    /** Closes the stream if no request is using it; returns whether it is closed now. */
    boolean closeIfIdle() {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            closeStream();
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean isOpen() {
        return in != null;
    }

    /** Closes the stream for good (the file is being deleted or the target closed); waits for a reader using it. */
    void close() {
        lock.lock();
        try {
            closed = true;
            closeStream();
        } finally {
            lock.unlock();
        }
    }

    private void closeStream() {
        if (in == null) {
            return;
        }
        try {
            in.close();
        } catch (IOException ignored) {
            // A read stream: nothing is lost by a failed close.
        }
        in = null;
        position = 0;
    }

    private static final class Request {
        final long offset;
        final MemorySegment head;
        final MemorySegment body;
        final SpillTarget.SliceConsumer onBodySlice;
        /** Written under the reader's lock by the serving thread, read under it by the caller. */
        boolean done;
        IOException failure;

        Request(long offset, MemorySegment head, MemorySegment body, SpillTarget.SliceConsumer onBodySlice) {
            this.offset = offset;
            this.head = head;
            this.body = body;
            this.onBodySlice = onBodySlice;
        }
    }
}
