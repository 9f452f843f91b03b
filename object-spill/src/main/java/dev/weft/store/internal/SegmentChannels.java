package dev.weft.store.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/** NIO channels over a memory segment, so Arrow's IPC writer and reader work directly on store memory. */
final class SegmentChannels {
    private SegmentChannels() {
    }

    /** Counts what would be written; touches no data. */
    static final class Counting implements WritableByteChannel {
        long count;

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            count += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** Writes sequentially into a segment (the one copy of column data into the store). */
    static final class Writing implements WritableByteChannel {
        private final MemorySegment target;
        long position;

        Writing(MemorySegment target) {
            this.target = target;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            MemorySegment.copy(MemorySegment.ofBuffer(src), 0, target, position, n);
            src.position(src.limit());
            position += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** Reads sequentially from a segment; used only for the small IPC metadata messages. */
    static final class Reading implements ReadableByteChannel {
        private final MemorySegment source;
        long position;

        Reading(MemorySegment source) {
            this.source = source;
        }

        @Override
        public int read(ByteBuffer dst) {
            long left = source.byteSize() - position;
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), left);
            MemorySegment.copy(source, position, MemorySegment.ofBuffer(dst), 0, n);
            dst.position(dst.position() + n);
            position += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
