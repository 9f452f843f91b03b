package dev.weft.connectors.internal.parquet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.bytes.ByteBufferAllocator;

/**
 * The heap buffers parquet-mr reads column chunks into, kept for the next row group instead of dropped. A column
 * chunk is megabytes, so each fresh buffer is a humongous object for G1: a scan allocating one per chunk drove it
 * into back-to-back concurrent cycles that shrank the heap and made every young collection more frequent. A buffer
 * comes back when the row group's page store is closed (buffers never released are simply collected). Thread-safe;
 * holds at most {@link #MAX_POOLED_BYTES}.
 */
final class ChunkBuffers implements ByteBufferAllocator {
    static final ChunkBuffers SHARED = new ChunkBuffers();

    /** Buffers are sized in steps of this, so a chunk a little larger than the last one still fits a pooled one. */
    private static final int STEP = 1 << 20;
    private static final long MAX_POOLED_BYTES = 256L << 20;

    private final List<ByteBuffer> free = new ArrayList<>();
    private long pooledBytes;

    ChunkBuffers() {
    }

    @Override
    public ByteBuffer allocate(int size) {
        ByteBuffer b = null;
        synchronized (this) {
            int best = -1;
            for (int i = 0; i < free.size(); i++) {
                int cap = free.get(i).capacity();
                if (cap >= size && (best < 0 || cap < free.get(best).capacity())) {
                    best = i;
                }
            }
            if (best >= 0) {
                b = free.remove(best);
                pooledBytes -= b.capacity();
            }
        }
        if (b == null) {
            long rounded = size <= STEP ? size : Math.min(Integer.MAX_VALUE - 8, ((long) size + STEP - 1) / STEP * STEP);
            b = ByteBuffer.allocate((int) rounded);
        }
        b.clear().limit(size);
        return b;
    }

    @Override
    public void release(ByteBuffer b) {
        synchronized (this) {
            // Only whole arrays: a slice of a buffer split between several ranges shares its array with the others.
            if (!b.hasArray() || b.arrayOffset() != 0 || b.capacity() != b.array().length || b.capacity() < STEP
                    || pooled(b)) {
                return;
            }
            if (pooledBytes + b.capacity() > MAX_POOLED_BYTES) {
                // Keep the larger buffers: they are the ones worth not allocating again.
                free.sort((x, y) -> Integer.compare(x.capacity(), y.capacity()));
                while (!free.isEmpty() && pooledBytes + b.capacity() > MAX_POOLED_BYTES
                        && free.getFirst().capacity() < b.capacity()) {
                    pooledBytes -= free.removeFirst().capacity();
                }
                if (pooledBytes + b.capacity() > MAX_POOLED_BYTES) {
                    return;
                }
            }
            free.add(b);
            pooledBytes += b.capacity();
        }
    }

    @Override
    public boolean isDirect() {
        return false;
    }

    /** Whether {@code b} is in the pool already: a second release of one buffer must not pool it twice. */
    private boolean pooled(ByteBuffer b) {
        for (ByteBuffer f : free) {
            if (f == b) {
                return true;
            }
        }
        return false;
    }
}
