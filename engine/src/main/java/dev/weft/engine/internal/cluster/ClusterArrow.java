package dev.weft.engine.internal.cluster;

import dev.weft.engine.internal.serial.ArrowIpc;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Arrow record batches between JVMs: a {@link VectorSchemaRoot} value (a dataset block) travels as an Arrow IPC
 * stream behind a marker no Fory stream starts with (Fory's first byte is a flag bitmap below 0x10), and is read
 * back into this JVM's allocator for decoded blocks; whoever receives the root closes it, as with a local get.
 */
final class ClusterArrow {
    private static final byte[] MARKER = {(byte) 0xFF, 'W', 'A', '1'};
    /** The buffers of blocks this JVM decoded from other JVMs; each root is closed by its reader. */
    private static final BufferAllocator DECODED = new RootAllocator();

    private ClusterArrow() {
    }

    static byte[] encode(VectorSchemaRoot root) {
        return ArrowIpc.write(root, MARKER);
    }

    static boolean isArrow(byte[] bytes) {
        return bytes.length >= MARKER.length && bytes[0] == MARKER[0] && bytes[1] == MARKER[1] && bytes[2] == MARKER[2]
                && bytes[3] == MARKER[3];
    }

    static VectorSchemaRoot decode(byte[] bytes) {
        return ArrowIpc.read(bytes, MARKER.length, DECODED);
    }
}
