package dev.weft.engine.internal.runtime;

import dev.weft.engine.internal.objects.LocalObjectRef;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The handles one life of an actor made (its puts, the refs of what it submitted, refs decoded from its arguments).
 * Actor state may keep them past the call that made them, so they are not released when a call ends, as a task's
 * are; but nothing can use them once the life is over, so {@link #releaseAll()} closes them then. Until then a
 * handle the actor dropped is still released when collected: this holds them weakly. Thread-safe.
 */
final class ActorLifeRefs {
    private final List<WeakReference<LocalObjectRef<?>>> refs = new ArrayList<>();
    private int pruneAt = 64;

    synchronized void add(LocalObjectRef<?> ref) {
        if (refs.size() >= pruneAt) {
            refs.removeIf(w -> {
                LocalObjectRef<?> r = w.get();
                return r == null || r.isClosed();
            });
            pruneAt = Math.max(64, 2 * refs.size());
        }
        refs.add(new WeakReference<>(ref));
    }

    /** Closes every handle the life made that is still open (idempotent; handles added later are closed later). */
    void releaseAll() {
        List<WeakReference<LocalObjectRef<?>>> taken;
        synchronized (this) {
            taken = new ArrayList<>(refs);
            refs.clear();
        }
        for (WeakReference<LocalObjectRef<?>> w : taken) {
            LocalObjectRef<?> r = w.get();
            if (r != null) {
                r.close();
            }
        }
    }
}
