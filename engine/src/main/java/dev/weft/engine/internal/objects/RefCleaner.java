package dev.weft.engine.internal.objects;

import java.lang.ref.Cleaner;

/**
 * Releases the handles of one runtime that were collected without being closed. The actions it registers reach
 * the runtime only through this object, and {@link #detach()} (when the runtime closes) cuts that link: a
 * pending action is held by the cleaner's thread, a GC root, so an action holding the runtime itself would keep
 * a closed runtime, its node loops and their rings on the heap for as long as any of its handles lived — and a
 * runtime holds handles of its own (actor creation results, task arguments), so that could be forever.
 */
public final class RefCleaner {
    private final Cleaner cleaner;
    private volatile RefHost host;

    /** A cleaner whose thread is virtual: nothing is left behind on a platform thread after close. */
    public RefCleaner(RefHost host, String threadName) {
        this.host = host;
        this.cleaner = Cleaner.create(Thread.ofVirtual().name(threadName).factory());
    }

    Cleaner.Cleanable register(Object handle, ObjectEntry entry) {
        return cleaner.register(handle, new Release(this, entry));
    }

    /** After this, collected handles release nothing: their runtime has closed and freed everything. */
    public void detach() {
        host = null;
    }

    /** Must not reference the handle, or it would never become unreachable. */
    private record Release(RefCleaner owner, ObjectEntry entry) implements Runnable {
        @Override
        public void run() {
            RefHost h = owner.host;
            if (h != null) {
                h.releaseHandle(entry);
            }
        }
    }
}
