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
 * Reads the records of one spill file through one open stream. On an object store every request costs a round
 * trip (and the first open a HEAD), so concurrent restores of objects in the same file are served by whichever
 * caller holds the stream: all pending requests at once, in file order, neighbouring records merged into runs
 * read with large positional reads (flat combining). The stream stays open for the next batch. Different files
 * have different readers, so restores run in parallel across files.
 *
 * <p>Thread-safe. A request's bytes, and its slice callbacks (in order, each slice once), may be handled on
 * another caller's thread; the caller returns only after its request is complete.
 */
final class SequentialFileReader {
    /** Records closer than this are read as one run (the gap read and dropped): cheaper than a new request. */
    private static final long RUN_GAP = 1 << 20;

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

    /**
     * Serves a batch in file order. Requests that follow each other in the file (a gap of at most
     * {@link #RUN_GAP}) form a run read with large positional reads, whatever the size of each record.
     */
    private void serve(List<Request> batch) {
        batch.sort(Comparator.comparingLong(r -> r.offset));
        byte[] chunk = chunks.take();
        try {
            int i = 0;
            while (i < batch.size()) {
                int j = i + 1;
                long end = batch.get(i).end();
                while (j < batch.size() && batch.get(j).offset >= end && batch.get(j).offset - end <= RUN_GAP) {
                    end = Math.max(end, batch.get(j).end());
                    j++;
                }
                List<Request> run = batch.subList(i, j);
                try {
                    readRun(run, chunk);
                } catch (IOException | RuntimeException e) {
                    // Find the request at fault: the others of the run get the rest of their bytes one by one.
                    closeStream();
                    for (Request r : run) {
                        try {
                            readRun(List.of(r), chunk);
                        } catch (IOException | RuntimeException single) {
                            r.failure = single instanceof IOException io ? io : new IOException(single.toString(), single);
                            closeStream();
                        }
                    }
                }
                for (Request r : run) {
                    r.done = true;
                }
                i = j;
            }
        } finally {
            chunks.give(chunk);
        }
    }

    /** Reads the bytes from the run's first offset to its last end in chunks, copying each piece where it belongs. */
    private void readRun(List<Request> run, byte[] chunk) throws IOException {
        if (closed) {
            throw new IOException("spill file " + file + " was closed while a restore waited for it");
        }
        if (in == null) {
            in = opener.open();
        }
        // A request retried after a failed run resumes where its bytes (and slice callbacks) stopped.
        long start = Long.MAX_VALUE;
        long end = 0;
        for (Request r : run) {
            start = Math.min(start, r.offset + r.delivered);
            end = Math.max(end, r.end());
        }
        MemorySegment heap = MemorySegment.ofArray(chunk);
        for (long pos = start; pos < end; ) {
            int len = (int) Math.min(chunk.length, end - pos);
            in.readFully(pos, chunk, 0, len);
            for (Request r : run) {
                r.deliver(heap, pos, len);
            }
            pos += len;
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
    }

    private static final class Request {
        final long offset;
        final MemorySegment head;
        final MemorySegment body;
        final SpillTarget.SliceConsumer onBodySlice;
        /** Written under the reader's lock by the serving thread, read under it by the caller. */
        boolean done;
        /** Bytes from {@code offset} already copied (and passed to the slice callback). */
        long delivered;
        IOException failure;

        Request(long offset, MemorySegment head, MemorySegment body, SpillTarget.SliceConsumer onBodySlice) {
            this.offset = offset;
            this.head = head;
            this.body = body;
            this.onBodySlice = onBodySlice;
        }

        long end() {
            return offset + head.byteSize() + body.byteSize();
        }

        /** Copies the part of {@code chunk} (holding {@code len} file bytes from {@code pos}) that is this request's. */
        void deliver(MemorySegment chunk, long pos, int len) {
            long from = Math.max(pos, offset + delivered);
            long to = Math.min(pos + len, end());
            if (from >= to) {
                return;
            }
            int n = (int) (to - from);
            copyOverlap(chunk, from - pos, from, n, head, offset, null);
            copyOverlap(chunk, from - pos, from, n, body, offset + head.byteSize(), onBodySlice);
            delivered = to - offset;
        }

        /** Copies file bytes [pos, pos + len), found at {@code chunkOffset} of the chunk, that fall in target. */
        private static void copyOverlap(MemorySegment chunk, long chunkOffset, long pos, int len, MemorySegment target,
                                        long targetPos, SpillTarget.SliceConsumer onSlice) {
            long from = Math.max(pos, targetPos);
            long to = Math.min(pos + len, targetPos + target.byteSize());
            if (from >= to) {
                return;
            }
            MemorySegment.copy(chunk, chunkOffset + from - pos, target, from - targetPos, to - from);
            if (onSlice != null) {
                onSlice.accept(target.asSlice(from - targetPos, to - from));
            }
        }
    }
}
