package dev.weft.engine.internal.cluster;

import dev.weft.engine.internal.actors.LocalActorHandle;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An actor living on this node, by cluster id: the embedded node's handle, its job, and per caller the calls
 * that arrived out of order (each caller numbers its calls; they reach the actor in that order, whatever order
 * the transport delivered them in).
 */
final class NodeActor {
    final String actorId;
    final String job;
    final boolean detached;
    final LocalActorHandle<?> handle;
    private final Map<String, CallerQueue> callers = new ConcurrentHashMap<>();

    NodeActor(String actorId, String job, boolean detached, LocalActorHandle<?> handle) {
        this.actorId = actorId;
        this.job = job;
        this.detached = detached;
        this.handle = handle;
    }

    /** Runs {@code call} once every lower-numbered call of {@code caller} has run; {@code seq} starts at 0. */
    void inOrder(String caller, long seq, java.util.function.Function<CompletableFuture<Void>, CompletableFuture<Void>> call) {
        CallerQueue q = callers.computeIfAbsent(caller, c -> new CallerQueue());
        synchronized (q) {
            if (seq == q.next && q.waiting.isEmpty()) {
                // the usual case on one stream: calls arrive in order, nothing to hold back
                q.next++;
                q.tail = call.apply(q.tail);
                return;
            }
            q.waiting.put(seq, call);
            while (!q.waiting.isEmpty() && q.waiting.firstKey() == q.next) {
                var next = q.waiting.remove(q.next);
                q.next++;
                q.tail = next.apply(q.tail);
            }
        }
    }

    private static final class CallerQueue {
        long next;
        CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
        final TreeMap<Long, java.util.function.Function<CompletableFuture<Void>, CompletableFuture<Void>>> waiting = new TreeMap<>();
    }
}
