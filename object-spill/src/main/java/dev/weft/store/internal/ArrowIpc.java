package dev.weft.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow IPC stream layout in store memory: schema message, one record batch message, end-of-stream marker.
 * Writing sizes the stream first (a pass that touches no data) so the store allocates exactly once; reading
 * slices the stored buffer, so column data is never copied.
 */
final class ArrowIpc {
    private ArrowIpc() {
    }

    /** A record batch taken from a root, ready to be measured and written. The caller closes it. */
    static final class Encoded implements AutoCloseable {
        private final Schema schema;
        private final ArrowRecordBatch batch;
        final long size;

        Encoded(VectorSchemaRoot root) {
            for (Field f : root.getSchema().getFields()) {
                rejectDictionaries(f);
            }
            this.schema = root.getSchema();
            this.batch = new VectorUnloader(root).getRecordBatch();
            try {
                SegmentChannels.Counting counting = new SegmentChannels.Counting();
                writeTo(new WriteChannel(counting));
                this.size = counting.count;
            } catch (IOException | RuntimeException e) {
                batch.close();
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
        }

        void writeInto(MemorySegment target) {
            try {
                SegmentChannels.Writing writing = new SegmentChannels.Writing(target);
                writeTo(new WriteChannel(writing));
                if (writing.position != size) {
                    throw new IllegalStateException("Arrow IPC stream was " + writing.position + " bytes, sized as " + size);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void writeTo(WriteChannel out) throws IOException {
            MessageSerializer.serialize(out, schema);
            MessageSerializer.serialize(out, batch);
            ArrowStreamWriter.writeEndOfStream(out, IpcOption.DEFAULT);
        }

        @Override
        public void close() {
            batch.close();
        }
    }

    private static void rejectDictionaries(Field field) {
        if (field.getDictionary() != null) {
            throw new IllegalArgumentException("column '" + field.getName()
                    + "' is dictionary-encoded; the object store keeps one record batch without dictionaries,"
                    + " decode it before put");
        }
        for (Field child : field.getChildren()) {
            rejectDictionaries(child);
        }
    }

    /**
     * What a stored stream's metadata says: its schema and where the record batch body lies. Immutable, so it is
     * parsed once per object and reused by every view (parsing the schema is most of a zero-copy get's cost).
     */
    record Layout(Schema schema, RecordBatch header, long bodyStart, long bodyLength) {
    }

    static Layout parse(ArrowBuf stored, long size) {
        MemorySegment segment = MemorySegment.ofAddress(stored.memoryAddress()).reinterpret(size);
        SegmentChannels.Reading reading = new SegmentChannels.Reading(segment);
        ReadChannel in = new ReadChannel(reading);
        try {
            Schema schema = MessageSerializer.deserializeSchema(in);
            MessageMetadataResult message = MessageSerializer.readMessage(in);
            if (message == null || message.headerType() != MessageHeader.RecordBatch) {
                throw new IllegalStateException("stored Arrow IPC stream has no record batch after its schema");
            }
            long bodyStart = reading.position;
            long bodyLength = message.getMessageBodyLength();
            if (bodyStart + bodyLength > size) {
                throw new IllegalStateException("stored Arrow IPC record batch body [" + bodyStart + ", "
                        + (bodyStart + bodyLength) + ") runs past the object's " + size + " bytes");
            }
            RecordBatch header = (RecordBatch) message.getMessage().header(new RecordBatch());
            return new Layout(schema, header, bodyStart, bodyLength);
        } catch (IOException e) {
            throw new UncheckedIOException("reading stored Arrow IPC stream of " + size + " bytes", e);
        }
    }

    /**
     * Builds a root over the stored stream in {@code stored}; its buffers are slices of {@code stored}, retained
     * into {@code allocator} (which is charged nothing while {@code stored} lives).
     */
    static VectorSchemaRoot read(ArrowBuf stored, Layout layout, BufferAllocator allocator) {
        ArrowBuf body = stored.slice(layout.bodyStart(), layout.bodyLength());
        // The batch takes ownership of one reference to the body and releases it on close: hand it one.
        body.getReferenceManager().retain();
        VectorSchemaRoot root = VectorSchemaRoot.create(layout.schema(), allocator);
        try (ArrowRecordBatch batch = MessageSerializer.deserializeRecordBatch(layout.header(), body)) {
            new VectorLoader(root).load(batch);
        } catch (RuntimeException | IOException e) {
            root.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        return root;
    }
}
