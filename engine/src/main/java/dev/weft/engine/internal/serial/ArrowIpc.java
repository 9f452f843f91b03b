package dev.weft.engine.internal.serial;

import dev.weft.api.SerializationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

/** Arrow record batches as IPC stream bytes: one schema message and one batch. */
public final class ArrowIpc {
    private ArrowIpc() {
    }

    public static byte[] write(VectorSchemaRoot root) {
        return write(root, new byte[0]);
    }

    /** The IPC stream of {@code root} behind {@code prefix}, in one array (no copy to prepend it). */
    public static byte[] write(VectorSchemaRoot root, byte[] prefix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix);
        try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
            writer.start();
            writer.writeBatch();
            writer.end();
        } catch (IOException e) {
            throw new SerializationException("cannot write a VectorSchemaRoot of " + root.getRowCount()
                    + " rows as Arrow IPC: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** A new root owned by the caller, its buffers taken from {@code allocator}. */
    public static VectorSchemaRoot read(byte[] bytes, BufferAllocator allocator) {
        return read(bytes, 0, allocator);
    }

    /** Like {@link #read(byte[], BufferAllocator)}, for the stream that starts at {@code offset} of {@code bytes}. */
    public static VectorSchemaRoot read(byte[] bytes, int offset, BufferAllocator allocator) {
        try (ArrowStreamReader reader = new ArrowStreamReader(
                new ByteArrayInputStream(bytes, offset, bytes.length - offset), allocator)) {
            VectorSchemaRoot source = reader.getVectorSchemaRoot();
            if (!reader.loadNextBatch()) {
                return VectorSchemaRoot.create(source.getSchema(), allocator);
            }
            List<FieldVector> vectors = new ArrayList<>(source.getFieldVectors().size());
            for (FieldVector vector : source.getFieldVectors()) {
                var transfer = vector.getTransferPair(allocator);
                transfer.transfer();
                vectors.add((FieldVector) transfer.getTo());
            }
            return new VectorSchemaRoot(source.getSchema(), vectors, source.getRowCount());
        } catch (IOException e) {
            throw new SerializationException("cannot read " + bytes.length + " bytes of Arrow IPC: " + e.getMessage(), e);
        }
    }
}
