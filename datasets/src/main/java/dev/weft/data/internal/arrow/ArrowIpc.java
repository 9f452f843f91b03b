package dev.weft.data.internal.arrow;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

/** Arrow IPC stream encoding of one batch, for in-memory sources that travel inside read tasks. */
public final class ArrowIpc {
    private ArrowIpc() {
    }

    public static byte[] toBytes(VectorSchemaRoot root) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArrowStreamWriter w = new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
            w.start();
            w.writeBatch();
            w.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A new root read from {@code bytes}; the caller closes it. */
    public static VectorSchemaRoot fromBytes(byte[] bytes, BufferAllocator allocator) {
        try (ArrowStreamReader r = new ArrowStreamReader(new ByteArrayInputStream(bytes), allocator)) {
            VectorSchemaRoot in = r.getVectorSchemaRoot();
            if (!r.loadNextBatch()) {
                in.setRowCount(0);
            }
            return Batches.transfer(in, allocator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
