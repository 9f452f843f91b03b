package dev.weft.engine.internal.inline;

import dev.weft.api.ActorDiedException;
import dev.weft.api.ActorHandle;
import dev.weft.api.Bundle;
import dev.weft.api.ErrorType;
import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectRef;
import dev.weft.api.PlacementGroup;
import dev.weft.api.PlacementStrategy;
import dev.weft.api.Resources;
import dev.weft.api.TaskUnschedulableException;
import dev.weft.api.WaitResult;
import dev.weft.api.WeftConfig;
import dev.weft.api.WeftException;
import dev.weft.api.WeftFunction;
import dev.weft.engine.Straggler;
import dev.weft.engine.internal.actors.LocalActorHandle;
import dev.weft.engine.internal.objects.HeapNodeStore;
import dev.weft.engine.internal.objects.LocalObjectRef;
import dev.weft.engine.internal.objects.ObjectEntry;
import dev.weft.engine.internal.objects.ObjectValue;
import dev.weft.engine.internal.objects.RefCleaner;
import dev.weft.engine.internal.objects.RefHost;
import dev.weft.engine.internal.placement.LocalPlacementGroup;
import dev.weft.engine.internal.runtime.RunningCode;
import dev.weft.engine.internal.serial.CaptureCheck;
import dev.weft.engine.internal.serial.Encoded;
import dev.weft.engine.internal.serial.ErrorCodec;
import dev.weft.engine.internal.serial.HandleResolver;
import dev.weft.engine.internal.serial.ValueCodec;
import dev.weft.spi.ActorCallSpec;
import dev.weft.spi.ActorSpec;
import dev.weft.spi.CurrentRuntime;
import dev.weft.spi.TaskSpec;
import dev.weft.spi.WeftRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code inline} runtime, for debugging (Ray's local mode): each task runs on the caller's thread during
 * {@code remote()}, and actor calls run synchronously on the caller's thread (one at a time per actor unless
 * {@code maxConcurrency > 1}). Everything else keeps the engine's semantics: values are copied through the
 * serializer, errors arrive as {@code TaskFailedException} when the result is read, refs are counted and freed.
 *
 * <p>It is one virtual node with this machine's CPUs. A task or actor whose demand exceeds that node fails
 * with {@link TaskUnschedulableException} at once (it could never run). Placement groups are ready at once
 * when each bundle on its own fits that node; the strategy is not enforced, because every task runs on the
 * caller's thread anyway (so a program written for a cluster runs unchanged). Cancel does
 * nothing, since every task has finished by the time its ref exists. {@code close()} interrupts the tasks and
 * actor code running on other threads, waits {@link RunningCode#CLOSE_GRACE} for them and reports what still runs
 * ({@link #stragglers()}). Thread-safe.
 */
public final class InlineRuntime implements WeftRuntime, HandleResolver, RefHost {
    private static final Logger LOG = LoggerFactory.getLogger(InlineRuntime.class);
    private static final AtomicLong RUNTIME_IDS = new AtomicLong();
    private static final String NODE_ID = "inline-node";

    private final String runtimeId = "inline-" + RUNTIME_IDS.incrementAndGet();
    private final Map<String, Double> total;
    private final HeapNodeStore store = new HeapNodeStore();
    private final ConcurrentHashMap<Long, ObjectEntry> table = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<String, InlineActor> actors = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, InlineActor> named = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LocalPlacementGroup> groups = new ConcurrentHashMap<>();
    private final RefCleaner cleaner = new RefCleaner(this, "weft-inline-cleaner");
    final ValueCodec codec;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Tasks and actor code running now, on their callers' threads: close interrupts them. */
    private final RunningCode running = new RunningCode(false);
    private final Duration closeGrace;
    private volatile List<Straggler> stragglers = List.of();
    private volatile BufferAllocator allocator;

    public InlineRuntime(WeftConfig config) {
        this.total = Map.of(Resources.CPU, (double) Runtime.getRuntime().availableProcessors());
        this.closeGrace = RunningCode.closeGrace(config);
        this.codec = new ValueCodec(this, this::allocator);
    }

    private synchronized BufferAllocator allocator() {
        if (allocator == null) {
            allocator = new RootAllocator();
        }
        return allocator;
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new WeftException(ErrorType.USER_ERROR, "Weft runtime " + runtimeId + " is closed");
        }
    }

    @Override
    public String providerName() {
        return "inline";
    }

    @Override
    public String runtimeId() {
        return runtimeId;
    }

    // ---- objects -------------------------------------------------------------------------------------------

    private ObjectEntry newEntry(boolean put) {
        ObjectEntry e = new ObjectEntry(ids.incrementAndGet(), put);
        table.put(e.id(), e);
        return e;
    }

    private <T> ObjectRef<T> handle(ObjectEntry e) {
        return new LocalObjectRef<>(e, this, cleaner);
    }

    private ObjectValue encode(ObjectEntry entry, Object value) {
        if (ValueCodec.isImmutable(value)) {
            return new ObjectValue.Immutable(value);
        }
        Encoded enc = codec.encode(value);
        if (!enc.contained().isEmpty()) {
            entry.contained(enc.contained());
        }
        if (enc.bytes().length < ValueCodec.INLINE_LIMIT) {
            return new ObjectValue.Inline(enc.encoding(), enc.bytes());
        }
        store.put(entry.id(), enc.encoding(), enc.bytes());
        return new ObjectValue.Stored(0, enc.encoding(), enc.bytes().length);
    }

    private ObjectEntry entryOf(ObjectRef<?> ref) {
        if (ref == null) {
            throw new IllegalArgumentException("object ref must not be null");
        }
        if (!(ref instanceof LocalObjectRef<?> local) || local.host() != this) {
            throw new IllegalArgumentException("object " + ref.id() + " belongs to another Weft runtime ("
                    + ref.getClass().getName() + "); refs can only be used with the runtime that made them");
        }
        return local.entry();
    }

    private Object valueOf(ObjectEntry entry) {
        ObjectValue v = entry.value();
        return switch (v) {
            case null -> throw new WeftException(ErrorType.INTERNAL, "object " + entry.idString() + " is not ready");
            case ObjectValue.Immutable i -> i.value();
            case ObjectValue.Inline in -> codec.decode(in.encoding(), in.bytes());
            case ObjectValue.Failed f -> throw f.error();
            case ObjectValue.Stored s -> {
                var so = store.get(entry.id());
                if (so == null) {
                    throw new WeftException(ErrorType.INTERNAL, "object " + entry.idString() + " is missing from the store");
                }
                yield codec.decode(so.encoding(), so.bytes());
            }
        };
    }

    @Override
    public Object getValue(LocalObjectRef<?> ref, Duration timeout) {
        return valueOf(entryOf(ref));
    }

    @Override
    public CompletableFuture<Object> valueFuture(LocalObjectRef<?> ref) {
        try {
            return CompletableFuture.completedFuture(valueOf(entryOf(ref)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void releaseHandle(ObjectEntry entry) {
        release(entry);
    }

    void release(ObjectEntry entry) {
        if (entry.release() && entry.markFreed()) {
            table.remove(entry.id());
            if (entry.value() instanceof ObjectValue.Stored) {
                store.delete(entry.id());
            }
            List<ObjectEntry> contained = entry.contained();
            entry.contained(List.of());
            contained.forEach(this::release);
        }
    }

    @Override
    public <T> ObjectRef<T> put(T value) {
        checkOpen();
        ObjectEntry entry = newEntry(true);
        ObjectRef<T> ref = handle(entry);
        try {
            entry.complete(encode(entry, value));
        } catch (RuntimeException e) {
            ref.close();
            throw e;
        }
        return ref;
    }

    @Override
    public <T> List<T> get(List<? extends ObjectRef<? extends T>> refs, Duration timeout) {
        List<T> out = new ArrayList<>(refs.size());
        for (ObjectRef<? extends T> r : refs) {
            @SuppressWarnings("unchecked")
            T v = (T) valueOf(entryOf(r));
            out.add(v);
        }
        return out;
    }

    @Override
    public <T> WaitResult<T> wait(List<? extends ObjectRef<T>> refs, int numReturns, Duration timeout) {
        if (numReturns < 0 || numReturns > refs.size()) {
            throw new IllegalArgumentException("numReturns must be between 0 and " + refs.size() + ", got " + numReturns);
        }
        refs.forEach(this::entryOf);
        return new WaitResult<>(List.copyOf(refs.subList(0, numReturns)), List.copyOf(refs.subList(numReturns, refs.size())));
    }

    @Override
    public void cancel(ObjectRef<?> ref, boolean force, boolean recursive) {
        entryOf(ref); // every task already finished: nothing to cancel
    }

    // ---- tasks ---------------------------------------------------------------------------------------------

    @Override
    public <T> ObjectRef<T> submitTask(TaskSpec spec) {
        checkOpen();
        CaptureCheck.check(spec.function());
        ObjectEntry result = newEntry(false);
        ObjectRef<T> ref = handle(result);
        RuntimeException infeasible = feasibility(spec.displayName(), spec.options().resources(),
                spec.options().placementGroup());
        if (infeasible != null) {
            result.complete(new ObjectValue.Failed(infeasible));
            return ref;
        }
        List<ObjectEntry> pins = new ArrayList<>();
        Object[] args = prepare(spec.args(), pins);
        try {
            int retries = spec.options().maxRetries();
            while (true) {
                try {
                    Object[] resolved = resolve(args);
                    Object value = invoke("task", spec.displayName(), spec.function(), resolved);
                    result.complete(encode(result, value));
                    return ref;
                } catch (UpstreamFailure u) {
                    result.complete(new ObjectValue.Failed(u.error));
                    return ref;
                } catch (Throwable t) {
                    if (spec.options().retryExceptions() && retries != 0 && !closed.get()) {
                        retries = retries > 0 ? retries - 1 : retries;
                        continue;
                    }
                    result.complete(new ObjectValue.Failed(ErrorCodec.taskFailed(spec.displayName(), t, codec.serializer())));
                    return ref;
                }
            }
        } finally {
            pins.forEach(this::release);
        }
    }

    private RuntimeException feasibility(String what, Map<String, Double> demand, PlacementGroup group) {
        for (Map.Entry<String, Double> e : demand.entrySet()) {
            if (total.getOrDefault(e.getKey(), 0.0) + 1e-9 < e.getValue()) {
                return new TaskUnschedulableException(what + " demands " + demand + " but the inline runtime's only node "
                        + NODE_ID + " has " + total);
            }
        }
        if (group != null) {
            if (!(group instanceof LocalPlacementGroup local) || local.runtime() != this) {
                throw new IllegalArgumentException("placement group " + group.id() + " belongs to another Weft runtime");
            }
            if (!groups.containsKey(group.id())) {
                return new TaskUnschedulableException(what + " targets placement group " + group.id()
                        + ", which was removed or can never be placed");
            }
        }
        return null;
    }

    private Object[] prepare(Object[] given, List<ObjectEntry> pins) {
        Object[] args = new Object[given.length];
        for (int i = 0; i < given.length; i++) {
            Object a = given[i];
            if (a instanceof ObjectRef<?> r) {
                ObjectEntry e = entryOf(r);
                e.retain();
                pins.add(e);
                args[i] = e;
            } else if (ValueCodec.isImmutable(a)) {
                args[i] = a;
            } else {
                Encoded enc = codec.encode(a);
                pins.addAll(enc.contained());
                args[i] = enc;
            }
        }
        return args;
    }

    Object[] resolve(Object[] args) {
        Object[] out = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof ObjectEntry e) {
                try {
                    out[i] = valueOf(e);
                } catch (RuntimeException ex) {
                    throw new UpstreamFailure(ex);
                }
            } else if (args[i] instanceof Encoded enc) {
                out[i] = codec.decode(enc.encoding(), enc.bytes());
            } else {
                out[i] = args[i];
            }
        }
        return out;
    }

    Object invoke(String kind, String name, WeftFunction fn, Object[] args) throws Exception {
        java.util.Optional<WeftRuntime> previous = CurrentRuntime.get();
        CurrentRuntime.bind(this);
        RunningCode.Entry code = running.enter(kind, () -> name, NODE_ID);
        try {
            checkOpen(); // a close that came first must not find this code too late to interrupt it
            return fn.invoke(args);
        } finally {
            running.exit(code);
            CurrentRuntime.bind(previous.filter(p -> p != this).orElse(null));
        }
    }

    /** The code that {@code close()} interrupted and that was still running when close returned; empty before. */
    public List<Straggler> stragglers() {
        return stragglers;
    }

    // ---- actors --------------------------------------------------------------------------------------------

    @Override
    public <A> ActorHandle<A> createActor(ActorSpec spec) {
        checkOpen();
        CaptureCheck.check(spec.constructor());
        String id = "actor-" + ids.incrementAndGet();
        LocalActorHandle<A> handle = new LocalActorHandle<>(id, spec.options().name(), this);
        RuntimeException infeasible = feasibility("actor " + spec.displayName(), spec.options().resources(),
                spec.options().placementGroup());
        List<ObjectEntry> pins = new ArrayList<>();
        InlineActor actor = new InlineActor(this, id, spec, handle, prepare(spec.args(), pins), pins);
        if (spec.options().name() != null && named.putIfAbsent(spec.options().name(), actor) != null) {
            pins.forEach(this::release);
            throw new IllegalArgumentException("actor name '" + spec.options().name() + "' is already taken");
        }
        actors.put(id, actor);
        if (infeasible != null) {
            actor.die(infeasible.getMessage(), infeasible);
        } else {
            actor.construct();
        }
        return handle;
    }

    private InlineActor own(ActorHandle<?> handle) {
        if (!(handle instanceof LocalActorHandle<?> local) || local.runtime() != this) {
            throw new IllegalArgumentException("actor " + (handle == null ? "null" : handle.actorId())
                    + " belongs to another Weft runtime");
        }
        InlineActor a = actors.get(handle.actorId());
        if (a == null) {
            throw new ActorDiedException("actor " + handle.actorId() + " is unknown to this runtime");
        }
        return a;
    }

    @Override
    public <R> ObjectRef<R> submitActorCall(ActorHandle<?> handle, ActorCallSpec call) {
        checkOpen();
        InlineActor actor = own(handle);
        CaptureCheck.check(call.method());
        ObjectEntry result = newEntry(false);
        ObjectRef<R> ref = handle(result);
        List<ObjectEntry> pins = new ArrayList<>();
        Object[] args = prepare(call.args(), pins);
        try {
            if (actor.spec.options().maxConcurrency() > 1) {
                runCall(actor, call, args, result);
            } else {
                actor.calls.lock();
                try {
                    runCall(actor, call, args, result);
                } finally {
                    actor.calls.unlock();
                }
            }
        } finally {
            pins.forEach(this::release);
        }
        return ref;
    }

    private void runCall(InlineActor actor, ActorCallSpec call, Object[] args, ObjectEntry result) {
        Object instance = actor.instance;
        if (instance == null) {
            RuntimeException d = actor.death;
            result.complete(new ObjectValue.Failed(d != null ? d
                    : new ActorDiedException("actor " + actor.describe() + " is not alive")));
            return;
        }
        try {
            Object[] resolved = resolve(args);
            Object[] full = new Object[resolved.length + 1];
            full[0] = instance;
            System.arraycopy(resolved, 0, full, 1, resolved.length);
            result.complete(encode(result, invoke("actor call", call.displayName() + " on actor " + actor.describe(),
                    call.method(), full)));
        } catch (UpstreamFailure u) {
            result.complete(new ObjectValue.Failed(u.error));
        } catch (Throwable t) {
            result.complete(new ObjectValue.Failed(ErrorCodec.taskFailed(call.displayName(), t, codec.serializer())));
        }
    }

    @Override
    public <A> Optional<ActorHandle<A>> getActor(String name) {
        InlineActor a = named.get(name);
        @SuppressWarnings("unchecked")
        ActorHandle<A> h = a == null || a.instance == null ? null : (ActorHandle<A>) a.handle;
        return Optional.ofNullable(h);
    }

    @Override
    public void kill(ActorHandle<?> handle, boolean noRestart) {
        InlineActor actor = own(handle);
        synchronized (actor) {
            if (actor.instance == null) {
                return;
            }
            if (!noRestart && actor.restartsLeft != 0) {
                if (actor.restartsLeft > 0) {
                    actor.restartsLeft--;
                }
                actor.instance = null;
                actor.construct();
            } else {
                actor.die("killed by kill(noRestart=" + noRestart + ")", null);
            }
        }
    }

    // ---- placement groups ----------------------------------------------------------------------------------

    @Override
    public PlacementGroup createPlacementGroup(PlacementStrategy strategy, List<Bundle> bundles, String name) {
        checkOpen();
        String id = "pg-" + ids.incrementAndGet();
        ObjectEntry ready = newEntry(false);
        LocalPlacementGroup pg = new LocalPlacementGroup(id, name, strategy, bundles, handle(ready),
                g -> groups.remove(g.id()), this);
        boolean fits = bundles.stream().allMatch(b -> b.resources().entrySet().stream()
                .allMatch(e -> total.getOrDefault(e.getKey(), 0.0) + 1e-9 >= e.getValue()));
        if (fits) {
            groups.put(id, pg);
            ready.complete(new ObjectValue.Immutable(Boolean.TRUE));
        } else {
            ready.complete(new ObjectValue.Failed(new TaskUnschedulableException("placement group " + id + " ("
                    + strategy + ", bundles " + bundles.stream().map(Bundle::resources).toList()
                    + ") can never be placed: a bundle exceeds the inline runtime's node " + NODE_ID + " with " + total)));
        }
        return pg;
    }

    @Override
    public List<List<String>> objectLocations(List<? extends ObjectRef<?>> refs) {
        List<List<String>> out = new ArrayList<>(refs.size());
        for (ObjectRef<?> ref : refs) {
            ObjectEntry entry = entryOf(ref);
            out.add(entry.isReady() && store.get(entry.id()) != null ? List.of(NODE_ID) : List.of());
        }
        return out;
    }

    @Override
    public List<NodeInfo> nodes() {
        return List.of(new NodeInfo(NODE_ID, true, total, total, store.usedBytes(), store.objectCount()));
    }

    // ---- handles inside values -----------------------------------------------------------------------------

    @Override
    public ObjectRef<?> refFromWire(long objectId, String fromRuntime) {
        ObjectEntry e = runtimeId.equals(fromRuntime) ? table.get(objectId) : null;
        return e == null || e.isFreed() ? LocalObjectRef.dangling(objectId, this) : handle(e);
    }

    @Override
    public ActorHandle<?> actorFromWire(String actorId, String fromRuntime) {
        InlineActor a = actors.get(actorId);
        return a != null ? a.handle : new LocalActorHandle<>(actorId, null, this);
    }

    @Override
    public PlacementGroup placementGroupFromWire(String groupId, String fromRuntime) {
        LocalPlacementGroup g = groups.get(groupId);
        if (g == null) {
            throw new IllegalArgumentException("placement group " + groupId + " is unknown to this runtime");
        }
        return g;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        CurrentRuntime.closed(this);
        // code running on other threads (the callers') is interrupted and given the grace period to end first
        stragglers = running.stopAll(runtimeId, closeGrace);
        int live = table.size();
        if (live > 0) {
            LOG.info("inline runtime {} closed with {} objects still referenced", runtimeId, live);
        }
        actors.values().forEach(a -> {
            synchronized (a) {
                if (a.instance != null) {
                    a.die("the runtime closed", null);
                }
            }
        });
        table.clear();
        store.clear();
        cleaner.detach();
        BufferAllocator a = allocator;
        if (a != null) {
            try {
                a.close();
            } catch (IllegalStateException e) {
                LOG.warn("runtime {}: Arrow values returned by get were not closed: {}", runtimeId, e.getMessage());
            }
        }
    }
}
