package dev.weft.store;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The content of an object to {@link ObjectStore#put put}. Each variant is copied into the store exactly
 * once; the store never keeps a reference to the source after {@code put} returns, and the caller still
 * owns (and closes) it.
 */
public sealed interface ObjectSource {

    /** The encoding the stored object will have. */
    Encoding encoding();

    /**
     * Bytes to copy: the remaining bytes of {@code data} (its position is not moved).
     *
     * @param encoding {@link Encoding#RAW} or {@link Encoding#SERIALIZED}
     */
    record Bytes(Encoding encoding, ByteBuffer data) implements ObjectSource {
        public Bytes {
            Objects.requireNonNull(encoding, "encoding");
            Objects.requireNonNull(data, "data");
            if (encoding == Encoding.ARROW_IPC) {
                throw new IllegalArgumentException("use ObjectSource.arrow(root) for Arrow data, not Bytes with ARROW_IPC");
            }
        }
    }

    /** A record batch, stored once in Arrow IPC stream layout. Dictionary-encoded columns are not supported. */
    record Arrow(VectorSchemaRoot root) implements ObjectSource {
        public Arrow {
            Objects.requireNonNull(root, "root");
        }

        @Override
        public Encoding encoding() {
            return Encoding.ARROW_IPC;
        }
    }

    /**
     * Bytes produced in place: the store allocates {@code sizeBytes} and calls {@code writer} once with a
     * writable segment of exactly that size, so a serializer can write straight into off-heap memory.
     * The writer must fill the whole segment and must not keep it.
     */
    record Written(Encoding encoding, long sizeBytes, SegmentWriter writer) implements ObjectSource {
        public Written {
            Objects.requireNonNull(encoding, "encoding");
            Objects.requireNonNull(writer, "writer");
            if (sizeBytes < 0) {
                throw new IllegalArgumentException("sizeBytes must be >= 0, got " + sizeBytes);
            }
            if (encoding == Encoding.ARROW_IPC) {
                throw new IllegalArgumentException("use ObjectSource.arrow(root) for Arrow data, not Written with ARROW_IPC");
            }
        }
    }

    /** Fills a freshly allocated segment; see {@link Written}. */
    @FunctionalInterface
    interface SegmentWriter {
        void write(MemorySegment target);
    }

    static ObjectSource raw(byte[] bytes) {
        return new Bytes(Encoding.RAW, ByteBuffer.wrap(bytes));
    }

    static ObjectSource serialized(byte[] bytes) {
        return new Bytes(Encoding.SERIALIZED, ByteBuffer.wrap(bytes));
    }

    static ObjectSource bytes(Encoding encoding, ByteBuffer data) {
        return new Bytes(encoding, data);
    }

    static ObjectSource arrow(VectorSchemaRoot root) {
        return new Arrow(root);
    }

    static ObjectSource written(Encoding encoding, long sizeBytes, SegmentWriter writer) {
        return new Written(encoding, sizeBytes, writer);
    }
}
