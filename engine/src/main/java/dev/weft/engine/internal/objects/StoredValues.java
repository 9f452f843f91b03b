package dev.weft.engine.internal.objects;

import dev.weft.api.ObjectStoreFullException;
import dev.weft.engine.internal.serial.Encoded;
import dev.weft.engine.internal.serial.ValueCodec;
import dev.weft.store.Encoding;
import dev.weft.store.ObjectInfo;
import dev.weft.store.ObjectSource;
import dev.weft.store.ObjectView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Values in node stores, each written once: {@code byte[]} and primitive arrays copied straight from the heap
 * array into store memory, serializer output as it is, {@link VectorSchemaRoot}s as Arrow IPC. Reading an
 * Arrow object on the node that holds it gives a root whose buffers slice the stored buffer (the object
 * stays pinned until the root is closed); reading on another node first copies the stored image into that
 * node's store as a secondary copy, as a transfer between machines would. Thread-safe.
 */
public final class StoredValues {
    /** What {@link #read} returns when the holder no longer has the object (lost with its node, or freed). */
    public static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "MISSING";
        }
    };

    private final ValueCodec codec;

    public StoredValues(ValueCodec codec) {
        this.codec = codec;
    }

    /**
     * Encodes a produced value (not an immutable one): inline if its image is smaller than
     * {@link ValueCodec#INLINE_LIMIT}, else into {@code store} as a primary copy, waiting for space.
     *
     * @throws dev.weft.api.ObjectStoreFullException if the image can never fit or did not fit in time
     */
    public ObjectValue encode(ObjectEntry entry, Object value, NodeObjectStore store, int nodeIndex) {
        RawArray raw = RawArray.of(value);
        if (raw != null && raw.bytes() >= ValueCodec.INLINE_LIMIT) {
            ObjectSource source = ObjectSource.written(Encoding.RAW, raw.bytes(),
                    target -> MemorySegment.copy(raw.heap(), 0, target, 0, raw.bytes()));
            store.putPrimary(entry.id(), source);
            return new ObjectValue.Stored(nodeIndex, raw.tag(), raw.bytes());
        }
        if (value instanceof VectorSchemaRoot root && arrowBytes(root) >= ValueCodec.INLINE_LIMIT) {
            ObjectInfo info = store.putPrimary(entry.id(), ObjectSource.arrow(root));
            return new ObjectValue.Stored(nodeIndex, ValueCodec.ARROW_IPC, info.sizeBytes());
        }
        Encoded enc = codec.encode(value);
        if (!enc.contained().isEmpty()) {
            entry.addContained(enc.contained());
        }
        if (enc.bytes().length < ValueCodec.INLINE_LIMIT) {
            return new ObjectValue.Inline(enc.encoding(), enc.bytes());
        }
        if (value instanceof VectorSchemaRoot root) {
            // Buffers just under the limit whose IPC image (with schema and framing) is over it: stored in the
            // store's Arrow layout too, since readers of an ARROW_IPC tag open the stored object zero-copy.
            ObjectInfo info = store.putPrimary(entry.id(), ObjectSource.arrow(root));
            return new ObjectValue.Stored(nodeIndex, ValueCodec.ARROW_IPC, info.sizeBytes());
        }
        Encoding encoding = enc.encoding() == ValueCodec.FORY ? Encoding.SERIALIZED : Encoding.RAW;
        store.putPrimary(entry.id(), ObjectSource.bytes(encoding, ByteBuffer.wrap(enc.bytes())));
        return new ObjectValue.Stored(nodeIndex, enc.encoding(), enc.bytes().length);
    }

    private static long arrowBytes(VectorSchemaRoot root) {
        long total = 0;
        for (FieldVector v : root.getFieldVectors()) {
            total += v.getBufferSize();
        }
        return total;
    }

    /**
     * The value of stored object {@code id} as read on {@code reader}, from {@code holder}'s primary copy (or a
     * secondary copy the reader already has). Returns {@link #MISSING} if the holder does not have it.
     *
     * @throws dev.weft.api.ObjectLostException if the spill record is lost (the lost handler has been told)
     */
    public Object read(long id, ObjectValue.Stored stored, NodeObjectStore holder, NodeObjectStore reader) {
        byte tag = stored.encoding();
        if (holder == reader || reader == null || reader.isClosed()) {
            return readFrom(holder, id, tag);
        }
        Object local = readFrom(reader, id, tag);
        if (local != MISSING) {
            return local;
        }
        Optional<ObjectView> remote = holder.openView(id);
        if (remote.isEmpty()) {
            return MISSING;
        }
        try (ObjectView view = remote.get()) {
            MemorySegment image = view.asSegment();
            Encoding encoding = view.info().encoding();
            try {
                if (encoding == Encoding.ARROW_IPC) {
                    // Arrow IPC is rewritten from the holder's zero-copy root: the same stream layout, written once
                    try (VectorSchemaRoot root = view.asArrow()) {
                        reader.putSecondary(id, ObjectSource.arrow(root));
                    }
                } else {
                    reader.putSecondary(id, ObjectSource.written(encoding, image.byteSize(),
                            target -> MemorySegment.copy(image, 0, target, 0, image.byteSize())));
                }
            } catch (ObjectStoreFullException noRoom) {
                // the reader's store cannot take a copy (pinned full, or smaller than the object): read privately
                return decodeCopy(view, tag);
            }
            Object fetched = readFrom(reader, id, tag);
            if (fetched != MISSING) {
                return fetched;
            }
            // evicted again at once (a store under pressure) or the reader is gone: decode a private copy
            return decodeCopy(view, tag);
        }
    }

    private Object readFrom(NodeObjectStore store, long id, byte tag) {
        if (tag == ValueCodec.ARROW_IPC) {
            Optional<ObjectView> view = store.openView(id);
            if (view.isEmpty()) {
                return MISSING;
            }
            return zeroCopyRoot(view.get());
        }
        return store.read(id, v -> decodeCopy(v, tag)).orElse(MISSING);
    }

    /** A root over the stored buffer that closes (unpins) the view when the caller closes it. */
    private static VectorSchemaRoot zeroCopyRoot(ObjectView view) {
        try {
            VectorSchemaRoot slices = view.asArrow();
            List<FieldVector> vectors = slices.getFieldVectors();
            return new VectorSchemaRoot(slices.getSchema(), vectors, slices.getRowCount()) {
                @Override
                public void close() {
                    try {
                        super.close();
                    } finally {
                        view.close();
                    }
                }
            };
        } catch (RuntimeException e) {
            view.close();
            throw e;
        }
    }

    /** A new heap value decoded from the view's bytes (the view stays the caller's). */
    private Object decodeCopy(ObjectView view, byte tag) {
        MemorySegment s = view.asSegment();
        return switch (tag) {
            case ValueCodec.BYTES -> s.toArray(ValueLayout.JAVA_BYTE);
            case ValueCodec.LONGS -> s.toArray(ValueLayout.JAVA_LONG_UNALIGNED);
            case ValueCodec.INTS -> s.toArray(ValueLayout.JAVA_INT_UNALIGNED);
            case ValueCodec.DOUBLES -> s.toArray(ValueLayout.JAVA_DOUBLE_UNALIGNED);
            case ValueCodec.FLOATS -> s.toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
            case ValueCodec.SHORTS -> s.toArray(ValueLayout.JAVA_SHORT_UNALIGNED);
            case ValueCodec.CHARS -> s.toArray(ValueLayout.JAVA_CHAR_UNALIGNED);
            default -> codec.decode(tag, view.toByteArray());
        };
    }

    /** A {@code byte[]} or primitive array that can be copied into the store as it lies on the heap. */
    private record RawArray(byte tag, MemorySegment heap, long bytes) {
        static RawArray of(Object value) {
            return switch (value) {
                case byte[] a -> new RawArray(ValueCodec.BYTES, MemorySegment.ofArray(a), a.length);
                case long[] a -> new RawArray(ValueCodec.LONGS, MemorySegment.ofArray(a), 8L * a.length);
                case int[] a -> new RawArray(ValueCodec.INTS, MemorySegment.ofArray(a), 4L * a.length);
                case double[] a -> new RawArray(ValueCodec.DOUBLES, MemorySegment.ofArray(a), 8L * a.length);
                case float[] a -> new RawArray(ValueCodec.FLOATS, MemorySegment.ofArray(a), 4L * a.length);
                case short[] a -> new RawArray(ValueCodec.SHORTS, MemorySegment.ofArray(a), 2L * a.length);
                case char[] a -> new RawArray(ValueCodec.CHARS, MemorySegment.ofArray(a), 2L * a.length);
                case null, default -> null;
            };
        }
    }
}
