package dev.weft.store.internal;

import dev.weft.store.Encoding;
import dev.weft.store.ObjectInfo;
import dev.weft.store.ObjectView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.vector.VectorSchemaRoot;

/** A pin on one object; see {@link ObjectView}. */
final class DefaultObjectView implements ObjectView {
    private final DefaultObjectStore store;
    private final StoredObject object;
    private final ObjectInfo info;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<VectorSchemaRoot> roots = new ArrayList<>(1);

    DefaultObjectView(DefaultObjectStore store, StoredObject object) {
        this.store = store;
        this.object = object;
        this.info = object.info();
    }

    @Override
    public ObjectInfo info() {
        return info;
    }

    @Override
    public MemorySegment asSegment() {
        checkOpen();
        return object.segment().asReadOnly();
    }

    @Override
    public ByteBuffer asByteBuffer() {
        checkOpen();
        if (object.size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("object " + object.id + " has " + object.size
                    + " bytes, more than a ByteBuffer holds; use asSegment()");
        }
        return object.buffer.nioBuffer(0, (int) object.size).asReadOnlyBuffer();
    }

    @Override
    public byte[] toByteArray() {
        checkOpen();
        if (object.size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("object " + object.id + " has " + object.size
                    + " bytes, more than a byte[] holds; use asSegment()");
        }
        return object.segment().toArray(ValueLayout.JAVA_BYTE);
    }

    @Override
    public VectorSchemaRoot asArrow() {
        checkOpen();
        if (object.encoding != Encoding.ARROW_IPC) {
            throw new IllegalStateException("object " + object.id + " is " + object.encoding + ", not ARROW_IPC");
        }
        ArrowIpc.Layout layout = object.arrowLayout;
        if (layout == null) {
            layout = ArrowIpc.parse(object.buffer, object.size);
            object.arrowLayout = layout;
        }
        VectorSchemaRoot root = ArrowIpc.read(object.buffer, layout, store.viewAllocator());
        synchronized (roots) {
            roots.add(root);
        }
        return root;
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("view of object " + object.id + " is closed");
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (roots) {
            roots.forEach(VectorSchemaRoot::close);
            roots.clear();
        }
        store.unpin(object);
    }
}
