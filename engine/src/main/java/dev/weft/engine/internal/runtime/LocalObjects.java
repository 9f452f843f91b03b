package dev.weft.engine.internal.runtime;

import dev.weft.api.ErrorType;
import dev.weft.api.GetTimeoutException;
import dev.weft.api.ObjectLostException;
import dev.weft.api.ObjectRef;
import dev.weft.api.TaskCancelledException;
import dev.weft.api.WaitResult;
import dev.weft.api.WeftException;
import dev.weft.api.WorkerCrashedException;
import dev.weft.engine.internal.objects.LocalObjectRef;
import dev.weft.engine.internal.objects.ReadLease;
import dev.weft.engine.internal.objects.NodeObjectStore;
import dev.weft.engine.internal.objects.ObjectEntry;
import dev.weft.engine.internal.objects.ObjectValue;
import dev.weft.engine.internal.objects.RefCleaner;
import dev.weft.engine.internal.objects.RefHost;
import dev.weft.engine.internal.objects.StoredValues;
import dev.weft.engine.internal.scheduler.NodeScheduler;
import dev.weft.engine.internal.serial.ValueCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The owner side of objects: ids, the table of live entries, handles, encoding values into inline bytes or a
 * node's store, reading them back (copying across nodes as a cluster would), get/wait, and freeing when an
 * entry's count reaches zero. Thread-safe.
 */
final class LocalObjects implements RefHost {
    private final LocalRuntime runtime;
    /** Entries whose refs were written into values, so a reader can find them by id. Most objects never are. */
    private final ConcurrentHashMap<Long, ObjectEntry> exported = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.LongAdder live = new java.util.concurrent.atomic.LongAdder();
    /** Objects held in each node's store, by node index (only large objects go there). */
    private final ConcurrentHashMap<Integer, ConcurrentHashMap<Long, ObjectEntry>> stored = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final RefCleaner cleaner;
    final ValueCodec codec;
    private final StoredValues storedValues;

    LocalObjects(LocalRuntime runtime, ValueCodec codec) {
        this.runtime = runtime;
        this.codec = codec;
        this.storedValues = new StoredValues(codec);
        this.cleaner = new RefCleaner(this, "weft-ref-cleaner");
    }

    ObjectEntry newEntry(boolean put) {
        ObjectEntry e = new ObjectEntry(ids.incrementAndGet(), put);
        live.increment();
        return e;
    }

    void export(ObjectEntry entry) {
        if (!entry.isFreed()) {
            exported.putIfAbsent(entry.id(), entry);
        }
    }

    ObjectEntry lookup(long id) {
        return exported.get(id);
    }

    /** Objects created and not yet freed. */
    long liveCount() {
        return live.sum();
    }

    <T> LocalObjectRef<T> handle(ObjectEntry entry) {
        LocalObjectRef<T> ref = new LocalObjectRef<>(entry, this, cleaner);
        WorkerContext ctx = WorkerContext.current();
        if (ctx != null && ctx.runtime.objectsHost() == this) {
            ctx.track(ref);
        }
        return ref;
    }

    /** The object whose value this thread is decoding, for the handles decoded out of it. */
    private static final class Decoding {
        final LocalObjects host;
        final ObjectEntry source;
        ReadLease lease;

        Decoding(LocalObjects host, ObjectEntry source) {
            this.host = host;
            this.source = source;
        }
    }

    private static final ThreadLocal<Decoding> DECODING = new ThreadLocal<>();

    /**
     * A handle for a ref decoded from bytes. Refs decoded out of an object's value share one {@link ReadLease}
     * on that object (which holds references on them), so reading a value that holds many refs costs one
     * registration with the cleaner; other refs get a handle of their own.
     */
    <T> LocalObjectRef<T> wireHandle(ObjectEntry entry) {
        Decoding d = DECODING.get();
        if (d == null || d.host != this || d.source.isFreed()) {
            return handle(entry);
        }
        if (d.lease == null) {
            d.lease = new ReadLease(d.source, cleaner);
        }
        LocalObjectRef<T> ref = new LocalObjectRef<>(entry, this, d.lease);
        WorkerContext ctx = WorkerContext.current();
        if (ctx != null && ctx.runtime.objectsHost() == this) {
            ctx.track(ref);
        }
        return ref;
    }

    /** Decodes a value of {@code source} with its decoded refs leased through it (see {@link #wireHandle}). */
    private Object decoding(ObjectEntry source, java.util.function.Supplier<Object> decode) {
        Decoding outer = DECODING.get();
        DECODING.set(new Decoding(this, source));
        try {
            return decode.get();
        } finally {
            if (outer == null) {
                DECODING.remove();
            } else {
                DECODING.set(outer);
            }
        }
    }

    /** The entry behind a ref given to this runtime, failing clearly for foreign, closed or dangling refs. */
    ObjectEntry entryOf(ObjectRef<?> ref) {
        if (ref == null) {
            throw new IllegalArgumentException("object ref must not be null");
        }
        if (!(ref instanceof LocalObjectRef<?> local) || local.host() != this) {
            throw new IllegalArgumentException("object " + ref.id() + " belongs to another Weft runtime ("
                    + ref.getClass().getName() + "); refs can only be used with the runtime that made them");
        }
        return local.entry();
    }

    @Override
    public String runtimeId() {
        return runtime.runtimeId();
    }

    // ---- encoding ----------------------------------------------------------------------------------------

    /** Encodes a produced value: shared if immutable, inline if small, else into {@code node}'s store. */
    ObjectValue encode(ObjectEntry entry, Object value, NodeScheduler node) {
        if (ValueCodec.isImmutable(value)) {
            return new ObjectValue.Immutable(value);
        }
        ObjectValue v;
        try {
            v = storedValues.encode(entry, value, (NodeObjectStore) node.store(), node.index());
        } catch (IllegalStateException closed) {
            if (node.alive()) {
                throw closed;
            }
            throw new WorkerCrashedException("object " + entry.idString() + " cannot be stored on " + node.nodeId()
                    + ": the node died", closed);
        }
        if (v instanceof ObjectValue.Stored) {
            stored.computeIfAbsent(node.index(), i -> new ConcurrentHashMap<>()).put(entry.id(), entry);
        }
        return v;
    }

    /**
     * Publishes a value; if the entry was freed meanwhile (its owner let go of a task's result before the task
     * ended), drops what was stored for it and the refs its encoding retained, which no one can read any more.
     */
    void complete(ObjectEntry entry, ObjectValue value) {
        entry.complete(value);
        if (entry.isFreed()) {
            dropValue(entry, value);
            // refs the value holds were added after the free released the entry's (its owner let go first)
            releaseAll(entry.takeContained());
        } else if (value instanceof ObjectValue.Stored s && !runtime.node(s.node()).alive()) {
            // stored just before its node died, published after the death looked for what the node held
            runtime.lostWithDeadNode(s.node(), entry);
        }
    }

    /**
     * A reader holding no reference (a cancelled task whose argument pins went with the cancel, a task whose result
     * its owner let go while it ran) can copy an object into its node's store after the free looked for copies to
     * drop: the free marks the entry before it looks, so a reader that stored its copy first sees the mark here.
     */
    private static void dropCopyIfFreed(ObjectEntry entry, NodeScheduler holder, NodeScheduler reader) {
        if (reader != null && reader != holder && entry.isFreed()) {
            reader.free(entry.id());
        }
    }

    /**
     * Drops a value that was encoded but will never be published (its task or call was cancelled or abandoned
     * meanwhile): the copy stored on {@code node} and the refs the encoding retained, which nothing can read.
     */
    void discard(ObjectEntry entry, ObjectValue value, NodeScheduler node) {
        if (value instanceof ObjectValue.Stored s) {
            ConcurrentHashMap<Long, ObjectEntry> onNode = stored.get(s.node());
            if (onNode != null) {
                onNode.remove(entry.id());
            }
            node.free(entry.id());
        }
        releaseAll(entry.takeContained());
    }

    // ---- reading -----------------------------------------------------------------------------------------

    @Override
    public Object getValue(LocalObjectRef<?> ref, Duration timeout) {
        ObjectEntry entry = entryOf(ref);
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        return valueOf(entry, deadline, readerNode());
    }

    NodeScheduler readerNode() {
        WorkerContext ctx = WorkerContext.current();
        return ctx != null && ctx.runtime == runtime ? ctx.node : runtime.driverNode();
    }

    /** The value of {@code entry} as read on {@code reader}, waiting until {@code deadlineNanos}. */
    Object valueOf(ObjectEntry entry, long deadlineNanos, NodeScheduler reader) {
        for (int lostRetries = 0; ; ) {
            ObjectValue v = entry.value();
            if (v == null) {
                if (await(List.of(entry), 1, deadlineNanos).isEmpty() && deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0) {
                    throw new GetTimeoutException("timed out waiting for object " + entry.idString()
                            + " (its task has not finished)");
                }
                continue;
            }
            switch (v) {
                case ObjectValue.Immutable i -> {
                    return i.value();
                }
                case ObjectValue.Inline in -> {
                    return in.encoding() == ValueCodec.FORY
                            ? decoding(entry, () -> codec.decode(in.encoding(), in.bytes()))
                            : codec.decode(in.encoding(), in.bytes());
                }
                case ObjectValue.Failed f -> {
                    // a loss is recorded by whoever found it (often killNode): thrown with this reader's stack, so
                    // the trace shows who read the lost object, not the node kill that recorded it
                    throw f.error() instanceof ObjectLostException lost
                            ? new ObjectLostException(lost.getMessage(), lost) : f.error();
                }
                case ObjectValue.Stored s -> {
                    NodeScheduler holder = runtime.node(s.node());
                    Object out;
                    try {
                        out = decoding(entry, () -> storedValues.read(entry.id(), s, (NodeObjectStore) holder.store(),
                                reader == null ? null : (NodeObjectStore) reader.store()));
                    } catch (ObjectLostException lost) {
                        if (entry.value() != v) {
                            continue; // the store's lost handler started a rebuild or failed the object
                        }
                        throw lost;
                    }
                    if (out == StoredValues.MISSING) {
                        if (entry.value() != v) {
                            continue; // lost and being rebuilt: wait for the new generation
                        }
                        if (entry.isFreed()) {
                            throw new ObjectLostException("object " + entry.idString() + " was freed while being read");
                        }
                        if (++lostRetries > 1000) {
                            throw new ObjectLostException("object " + entry.idString() + " (" + s.size()
                                    + " bytes) is missing from the store of " + holder.nodeId());
                        }
                        Thread.onSpinWait();
                        Thread.yield();
                        continue;
                    }
                    dropCopyIfFreed(entry, holder, reader);
                    return out;
                }
            }
        }
    }

    /**
     * Blocks until {@code need} of {@code entries} are ready or the deadline passes; returns the ready ones in
     * completion order. Inside a task the task's resources are lent back to its node while it waits.
     */
    List<ObjectEntry> await(List<ObjectEntry> entries, int need, long deadlineNanos) {
        ConcurrentLinkedQueue<ObjectEntry> ready = new ConcurrentLinkedQueue<>();
        int already = 0;
        boolean[] wasReady = new boolean[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            ObjectEntry e = entries.get(i);
            if (e.isReady()) {
                ready.add(e);
                wasReady[i] = true;
                already++;
            }
        }
        if (already >= need) {
            return new ArrayList<>(ready);
        }
        WorkerContext ctx = WorkerContext.current();
        boolean lend = ctx != null && ctx.slot != null && ctx.runtime == runtime;
        if (lend) {
            ctx.node.blocked(ctx.slot, ctx.lease);
        }
        try {
            if (entries.size() == 1) {
                try {
                    waitOne(entries.getFirst(), deadlineNanos);
                } catch (GetTimeoutException timedOut) {
                    return List.of();
                }
                return entries.getFirst().isReady() ? List.of(entries.getFirst()) : List.of();
            }
            CountDownLatch latch = new CountDownLatch(need - already);
            AtomicInteger count = new AtomicInteger(already);
            for (int i = 0; i < entries.size(); i++) {
                ObjectEntry e = entries.get(i);
                if (!wasReady[i]) {
                    e.readyFuture().whenComplete((x, t) -> {
                        ready.add(e);
                        if (count.incrementAndGet() <= need) {
                            latch.countDown();
                        }
                    });
                }
            }
            try {
                long left = deadlineNanos - System.nanoTime();
                if (deadlineNanos == Long.MAX_VALUE) {
                    latch.await();
                } else if (left > 0) {
                    latch.await(left, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new TaskCancelledException("interrupted while waiting for " + entries.size() + " objects");
            }
            return new ArrayList<>(ready);
        } finally {
            if (lend) {
                ctx.node.unblocked(ctx.slot, ctx.lease);
            }
        }
    }

    private void waitOne(ObjectEntry entry, long deadlineNanos) {
        if (Spin.until(entry::isReady, Spin.GET_NANOS)) {
            return;
        }
        while (!entry.isReady()) {
            CompletableFuture<ObjectEntry> f = entry.readyFuture();
            try {
                if (deadlineNanos == Long.MAX_VALUE) {
                    f.get();
                } else {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        throw new GetTimeoutException("timed out waiting for object " + entry.idString());
                    }
                    f.get(left, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TaskCancelledException("interrupted while waiting for object " + entry.idString());
            } catch (TimeoutException e) {
                throw new GetTimeoutException("timed out waiting for object " + entry.idString());
            } catch (ExecutionException e) {
                throw new WeftException(ErrorType.INTERNAL, "waiting for " + entry.idString() + " failed", e.getCause());
            }
        }
    }

    <T> List<T> getAll(List<? extends ObjectRef<? extends T>> refs, Duration timeout) {
        List<ObjectEntry> entries = new ArrayList<>(refs.size());
        for (ObjectRef<?> r : refs) {
            entries.add(entryOf(r));
        }
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        NodeScheduler reader = readerNode();
        awaitAll(entries, deadline, timeout);
        // A failed one fails the whole get: throw its error before decoding the others, whose nested refs would
        // otherwise get handles that no one holds (their objects stayed in the stores until a collection).
        for (ObjectEntry e : entries) {
            if (e.value() instanceof ObjectValue.Failed) {
                valueOf(e, deadline, reader);
            }
        }
        List<T> out = new ArrayList<>(entries.size());
        for (ObjectEntry e : entries) {
            @SuppressWarnings("unchecked")
            T v = (T) valueOf(e, deadline, reader);
            out.add(v);
        }
        return out;
    }

    /**
     * Waits for every entry, one after the other (all must be ready anyway, so no completion callbacks are
     * needed), lending a task's resources back once for the whole wait.
     */
    private void awaitAll(List<ObjectEntry> entries, long deadlineNanos, Duration timeout) {
        int firstPending = -1;
        for (int i = 0; i < entries.size(); i++) {
            if (!entries.get(i).isReady()) {
                firstPending = i;
                break;
            }
        }
        if (firstPending < 0) {
            return;
        }
        WorkerContext ctx = WorkerContext.current();
        boolean lend = ctx != null && ctx.slot != null && ctx.runtime == runtime;
        if (lend) {
            ctx.node.blocked(ctx.slot, ctx.lease);
        }
        try {
            for (int i = firstPending; i < entries.size(); i++) {
                if (!entries.get(i).isReady()) {
                    try {
                        waitOne(entries.get(i), deadlineNanos);
                    } catch (GetTimeoutException e) {
                        long ready = entries.stream().filter(ObjectEntry::isReady).count();
                        throw new GetTimeoutException("timed out after " + timeout.toMillis() + " ms: " + ready + " of "
                                + entries.size() + " objects ready; first missing: " + firstUnready(entries).idString());
                    }
                }
            }
        } finally {
            if (lend) {
                ctx.node.unblocked(ctx.slot, ctx.lease);
            }
        }
    }

    private static ObjectEntry firstUnready(List<ObjectEntry> entries) {
        return entries.stream().filter(e -> !e.isReady()).findFirst().orElse(entries.getFirst());
    }

    <T> WaitResult<T> waitFor(List<? extends ObjectRef<T>> refs, int numReturns, Duration timeout) {
        if (numReturns < 0 || numReturns > refs.size()) {
            throw new IllegalArgumentException("numReturns must be between 0 and " + refs.size() + ", got " + numReturns);
        }
        List<ObjectEntry> entries = new ArrayList<>(refs.size());
        for (ObjectRef<?> r : refs) {
            entries.add(entryOf(r));
        }
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        List<ObjectEntry> ready = numReturns == 0 ? List.of() : await(entries, numReturns, deadline);
        // Ready refs in completion order. Each entry's completion stamp is read once: an entry that was seen ready
        // may publish its stamp (or be rebuilt and re-stamped) while we sort, which a comparator must not see.
        Set<ObjectEntry> readySet = Collections.newSetFromMap(new IdentityHashMap<>());
        readySet.addAll(ready);
        int n = entries.size();
        long[] stamps = new long[n];
        List<Integer> order = new ArrayList<>(ready.size());
        for (int i = 0; i < n; i++) {
            ObjectEntry e = entries.get(i);
            if (readySet.contains(e)) {
                long at = e.completedAt();
                stamps[i] = at == 0 ? Long.MAX_VALUE : at; // 0: published a moment ago, after everything stamped
                order.add(i);
            }
        }
        order.sort((x, y) -> stamps[x] != stamps[y] ? Long.compare(stamps[x], stamps[y]) : Integer.compare(x, y));
        boolean[] taken = new boolean[n];
        List<ObjectRef<T>> readyRefs = new ArrayList<>(Math.min(order.size(), numReturns));
        for (int k = 0; k < order.size() && readyRefs.size() < numReturns; k++) {
            int i = order.get(k);
            taken[i] = true;
            readyRefs.add(refs.get(i));
        }
        List<ObjectRef<T>> unready = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            if (!taken[i]) {
                unready.add(refs.get(i));
            }
        }
        return new WaitResult<>(readyRefs, unready);
    }

    @Override
    public CompletableFuture<Object> valueFuture(LocalObjectRef<?> ref) {
        ObjectEntry entry = entryOf(ref);
        NodeScheduler reader = readerNode();
        CompletableFuture<Object> out = new CompletableFuture<>();
        entry.readyFuture().whenComplete((e, t) -> {
            // Runs on whichever thread published the value, often an actor's or a task's: the handles decoded here
            // are the future's reader's, not that code's (which releases its own when its call or life ends).
            WorkerContext publisher = WorkerContext.current();
            WorkerContext.set(null);
            try {
                out.complete(valueOf(entry, Long.MAX_VALUE, reader));
            } catch (RuntimeException ex) {
                out.completeExceptionally(ex);
            } finally {
                WorkerContext.set(publisher);
            }
        });
        return out;
    }

    // ---- freeing -----------------------------------------------------------------------------------------

    @Override
    public void releaseHandle(ObjectEntry entry) {
        release(entry);
    }

    void release(ObjectEntry entry) {
        if (entry.release()) {
            free(entry);
        }
    }

    void releaseAll(List<ObjectEntry> entries) {
        for (ObjectEntry e : entries) {
            release(e);
        }
    }

    private void free(ObjectEntry entry) {
        if (!entry.markFreed()) {
            return;
        }
        live.decrement();
        exported.remove(entry.id());
        ObjectValue v = entry.value();
        if (v != null) {
            dropValue(entry, v);
        }
        releaseAll(entry.takeContained());
        if (entry.producer() instanceof TaskRecord producer) {
            entry.producer(null);
            if (producer.releasePins()) {
                releaseAll(producer.pins);
            }
        }
    }

    private void dropValue(ObjectEntry entry, ObjectValue v) {
        if (v instanceof ObjectValue.Stored s) {
            ConcurrentHashMap<Long, ObjectEntry> onNode = stored.get(s.node());
            if (onNode != null) {
                onNode.remove(entry.id());
            }
            // the primary on its node, and any secondary copies other nodes fetched
            for (NodeScheduler n : runtime.nodeList()) {
                if (n.index() == s.node() || ((NodeObjectStore) n.store()).contains(entry.id())) {
                    n.free(entry.id());
                }
            }
        }
    }

    /** The live objects whose value is held in {@code node}'s store. */
    List<ObjectEntry> storedOn(NodeScheduler node) {
        ConcurrentHashMap<Long, ObjectEntry> onNode = stored.get(node.index());
        return onNode == null ? List.of() : new ArrayList<>(onNode.values());
    }

    /** Forgets that {@code node}'s store holds {@code id} (its copy was lost with the node or its spill file). */
    void unstored(int nodeIndex, long id) {
        ConcurrentHashMap<Long, ObjectEntry> onNode = stored.get(nodeIndex);
        if (onNode != null) {
            onNode.remove(id);
        }
    }

    /** The live object whose value {@code node}'s store holds as {@code id}, or null. */
    ObjectEntry storedEntry(int nodeIndex, long id) {
        ConcurrentHashMap<Long, ObjectEntry> onNode = stored.get(nodeIndex);
        return onNode == null ? null : onNode.get(id);
    }

    /** Drops every entry (the runtime is closing). */
    void clear() {
        exported.clear();
        cleaner.detach();
    }
}
