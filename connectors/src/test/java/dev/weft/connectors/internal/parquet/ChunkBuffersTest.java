package dev.weft.connectors.internal.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ChunkBuffersTest {
    private static final int MIB = 1 << 20;

    @Test
    void aReleasedBufferServesTheNextRequestThatFitsIt() {
        ChunkBuffers pool = new ChunkBuffers();
        ByteBuffer a = pool.allocate(3 * MIB + 5);
        assertEquals(3 * MIB + 5, a.limit());
        assertEquals(0, a.position());
        a.position(100);
        pool.release(a);
        ByteBuffer b = pool.allocate(2 * MIB);
        assertSame(a, b, "the pooled buffer is reused");
        assertEquals(2 * MIB, b.limit());
        assertEquals(0, b.position());
        assertNotSame(b, pool.allocate(2 * MIB), "a lent buffer is not lent twice");
    }

    @Test
    void aBufferReleasedTwiceIsPooledOnce() {
        ChunkBuffers pool = new ChunkBuffers();
        ByteBuffer a = pool.allocate(2 * MIB);
        pool.release(a);
        pool.release(a);
        assertSame(a, pool.allocate(MIB));
        assertNotSame(a, pool.allocate(MIB));
    }

    @Test
    void slicesOfOneArrayAndSmallBuffersAreNeverPooled() {
        ChunkBuffers pool = new ChunkBuffers();
        ByteBuffer merged = ByteBuffer.allocate(4 * MIB);
        ByteBuffer first = merged.slice(0, 2 * MIB);
        ByteBuffer second = merged.slice(2 * MIB, 2 * MIB);
        pool.release(first);
        pool.release(second);
        ByteBuffer small = pool.allocate(1000);
        pool.release(small);
        assertNotSame(second.array(), pool.allocate(MIB).array(), "a slice shares its array with the others");
        assertNotSame(small, pool.allocate(1000));
    }
}
