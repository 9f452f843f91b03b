package dev.weft.engine.internal.objects;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One reference on the object a value was read from, shared by every handle decoded out of that value (a
 * list of 10,000 refs costs one registration with the {@link RefCleaner}, not 10,000). The object it pins holds
 * references on the objects those handles name, so they stay alive while any of the handles is in use. The
 * reference goes when every handle is closed, or when the JVM finds them all unreachable. Thread-safe.
 */
public final class ReadLease {
    private final AtomicInteger open = new AtomicInteger();
    private final Cleaner.Cleanable cleanable;

    /** Retains {@code source} (the object whose value is being decoded) for the handles to come. */
    public ReadLease(ObjectEntry source, RefCleaner cleaner) {
        source.retain();
        this.cleanable = cleaner.register(this, source);
    }

    void opened() {
        open.incrementAndGet();
    }

    void closed() {
        if (open.decrementAndGet() == 0) {
            cleanable.clean();
        }
    }
}
