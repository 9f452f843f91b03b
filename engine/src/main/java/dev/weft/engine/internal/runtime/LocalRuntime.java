package dev.weft.engine.internal.runtime;

import dev.weft.api.ActorHandle;
import dev.weft.api.Bundle;
import dev.weft.api.ErrorType;
import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectLostException;
import dev.weft.api.ObjectRef;
import dev.weft.api.PlacementGroup;
import dev.weft.api.PlacementStrategy;
import dev.weft.api.Resources;
import dev.weft.api.WaitResult;
import dev.weft.api.WeftConfig;
import dev.weft.api.WeftException;
import dev.weft.engine.Straggler;
import dev.weft.engine.internal.objects.LocalObjectRef;
import dev.weft.engine.internal.objects.NodeObjectStore;
import dev.weft.engine.internal.objects.NodeStores;
import dev.weft.engine.internal.objects.ObjectEntry;
import dev.weft.engine.internal.objects.ObjectValue;
import dev.weft.engine.internal.scheduler.NodeScheduler;
import dev.weft.engine.internal.scheduler.ResourceIndex;
import dev.weft.engine.internal.scheduler.Work;
import dev.weft.engine.internal.serial.HandleResolver;
import dev.weft.engine.internal.serial.ValueCodec;
import dev.weft.spi.ActorCallSpec;
import dev.weft.spi.ActorSpec;
import dev.weft.spi.CurrentRuntime;
import dev.weft.spi.TaskSpec;
import dev.weft.spi.WeftRuntime;
import dev.weft.store.StoreStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded engine: virtual nodes (each a {@link NodeScheduler} with its store), the object owner
 * ({@link LocalObjects}), tasks, actors and placement groups. Thread-safe; the creator closes it.
 */
public final class LocalRuntime implements WeftRuntime, HandleResolver, VirtualCluster {
    private static final Logger LOG = LoggerFactory.getLogger(LocalRuntime.class);
    private static final AtomicLong RUNTIME_IDS = new AtomicLong();

    private final String runtimeId = "local-" + RUNTIME_IDS.incrementAndGet();
    private final ResourceIndex index = new ResourceIndex();
    private final CopyOnWriteArrayList<NodeScheduler> nodes = new CopyOnWriteArrayList<>();
    private final LocalObjects objects;
    private final TaskService tasks;
    private final ActorService actors;
    private final PlacementGroupService groups;
    private final Dispatcher dispatcher;
    private final NodeStores stores;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RunningCode runningCode = new RunningCode(true);
    private final Duration closeGrace;
    private volatile List<Straggler> stragglers = List.of();
    private volatile ScheduledThreadPoolExecutor timer;
    private volatile BufferAllocator allocator;

    public LocalRuntime(WeftConfig config) {
        this.closeGrace = RunningCode.closeGrace(config);
        this.objects = new LocalObjects(this, new ValueCodec(this, this::allocator));
        this.tasks = new TaskService(this, objects);
        this.actors = new ActorService(this, objects);
        this.groups = new PlacementGroupService(this, objects);
        this.dispatcher = new Dispatcher(this, index, config.infeasibleTimeout());
        List<Map<String, Double>> specs = config.nodes().isEmpty()
                ? List.of(Map.of(Resources.CPU, (double) Runtime.getRuntime().availableProcessors()))
                : config.nodes();
        for (Map<String, Double> spec : specs) {
            spec.keySet().forEach(index::slot);
        }
        this.stores = new NodeStores(runtimeId, config, specs.size());
        for (Map<String, Double> spec : specs) {
            startNode(spec);
        }
    }

    private synchronized String startNode(Map<String, Double> resources) {
        resources.keySet().forEach(index::slot);
        int i = nodes.size();
        String id = "node-" + i;
        double[] total = Arrays.copyOf(index.vector(Resources.copyOf(resources)),
                Math.max(index.size(), NodeScheduler.INBOUND_SLOTS));
        NodeObjectStore store = stores.open(id, (objectId, cause) -> objectLost(i, objects.storedEntry(i, objectId),
                "from the spill file of " + id + " (" + cause.getMessage() + ")", cause));
        nodes.add(new NodeScheduler(i, id, total, store, dispatcher::dispatchLater, dispatcher));
        return id;
    }

    // ---- internal accessors --------------------------------------------------------------------------------

    @Override
    public String runtimeId() {
        return runtimeId;
    }

    ResourceIndex resourceIndex() {
        return index;
    }

    List<NodeScheduler> nodeList() {
        return nodes;
    }

    NodeScheduler node(int i) {
        return nodes.get(i);
    }

    NodeScheduler nodeById(String id) {
        for (NodeScheduler n : nodes) {
            if (n.nodeId().equals(id)) {
                return n;
            }
        }
        return null;
    }

    /** Where the driver (code outside tasks) lives: the first alive node. */
    NodeScheduler driverNode() {
        for (NodeScheduler n : nodes) {
            if (n.alive()) {
                return n;
            }
        }
        return nodes.getFirst();
    }

    int aliveNodeCount() {
        return (int) nodes.stream().filter(NodeScheduler::alive).count();
    }

    String biggestNodeDescription() {
        NodeScheduler best = null;
        for (NodeScheduler n : nodes) {
            if (n.alive() && (best == null || n.total()[0] > best.total()[0])) {
                best = n;
            }
        }
        return best == null ? "none alive" : best.nodeId() + " " + index.toMap(best.total());
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    TaskService tasks() {
        return tasks;
    }

    ActorService actors() {
        return actors;
    }

    PlacementGroupService groups() {
        return groups;
    }

    RunningCode running() {
        return runningCode;
    }

    boolean isClosed() {
        return closed.get();
    }

    void checkOpen() {
        if (closed.get()) {
            throw new WeftException(ErrorType.USER_ERROR, "Weft runtime " + runtimeId + " is closed");
        }
    }

    ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = timer;
        if (t == null) {
            synchronized (this) {
                t = timer;
                if (t == null) {
                    t = new ScheduledThreadPoolExecutor(1,
                            Thread.ofPlatform().daemon().name("weft-timer-" + runtimeId).factory());
                    t.setRemoveOnCancelPolicy(true);
                    timer = t;
                }
            }
        }
        return t;
    }

    LocalObjects objectsHost() {
        return objects;
    }

    private BufferAllocator allocator() {
        BufferAllocator a = allocator;
        if (a == null) {
            synchronized (this) {
                a = allocator;
                if (a == null) {
                    a = new RootAllocator();
                    allocator = a;
                }
            }
        }
        return a;
    }

    // ---- WeftRuntime ---------------------------------------------------------------------------------------

    @Override
    public String providerName() {
        return "local";
    }

    @Override
    public <T> ObjectRef<T> submitTask(TaskSpec spec) {
        return tasks.submit(spec);
    }

    @Override
    public <T> ObjectRef<T> put(T value) {
        checkOpen();
        ObjectEntry entry = objects.newEntry(true);
        NodeScheduler node = objects.readerNode();
        ObjectRef<T> ref = objects.handle(entry);
        try {
            objects.complete(entry, objects.encode(entry, value, node));
        } catch (RuntimeException e) {
            ref.close();
            throw e;
        }
        return ref;
    }

    @Override
    public <T> List<T> get(List<? extends ObjectRef<? extends T>> refs, Duration timeout) {
        return objects.getAll(refs, timeout);
    }

    @Override
    public <T> WaitResult<T> wait(List<? extends ObjectRef<T>> refs, int numReturns, Duration timeout) {
        return objects.waitFor(refs, numReturns, timeout);
    }

    @Override
    public void cancel(ObjectRef<?> ref, boolean force, boolean recursive) {
        tasks.cancel(objects.entryOf(ref), force, recursive);
    }

    @Override
    public <A> ActorHandle<A> createActor(ActorSpec spec) {
        return actors.create(spec);
    }

    @Override
    public <R> ObjectRef<R> submitActorCall(ActorHandle<?> actor, ActorCallSpec call) {
        return actors.submitCall(actor, call);
    }

    @Override
    public <A> Optional<ActorHandle<A>> getActor(String name) {
        return actors.byName(name);
    }

    @Override
    public void kill(ActorHandle<?> actor, boolean noRestart) {
        actors.kill(actor, noRestart);
    }

    @Override
    public PlacementGroup createPlacementGroup(PlacementStrategy strategy, List<Bundle> bundles, String name) {
        return groups.create(strategy, bundles, name);
    }

    /**
     * The size of {@code ref}'s value once it is ready, when it lies in a store of this runtime as a large
     * {@code byte[]}; -1 when it is ready in another form (inline, failed). Reads nothing out of the store.
     */
    public CompletableFuture<Long> storedBytesSize(ObjectRef<?> ref) {
        return objects.entryOf(ref).readyFuture().thenApply(e -> e.value() instanceof ObjectValue.Stored s
                && s.encoding() == ValueCodec.BYTES ? s.size() : -1L);
    }

    /**
     * A pinned view of the stored image of {@code ref} when it is a {@code byte[]} held in a store of this runtime
     * (restored first if it was spilled), for serving it without a heap copy; empty when it is not ready, small
     * (inline), of another type, or gone. The caller closes the view.
     */
    public Optional<dev.weft.store.ObjectView> openStoredBytes(ObjectRef<?> ref) {
        ObjectEntry entry = objects.entryOf(ref);
        if (!(entry.value() instanceof ObjectValue.Stored stored) || stored.encoding() != ValueCodec.BYTES) {
            return Optional.empty();
        }
        NodeScheduler holder = nodes.get(stored.node());
        return holder.alive() && holder.store() instanceof NodeObjectStore s ? s.openView(entry.id()) : Optional.empty();
    }

    @Override
    public List<List<String>> objectLocations(List<? extends ObjectRef<?>> refs) {
        List<List<String>> out = new ArrayList<>(refs.size());
        for (ObjectRef<?> ref : refs) {
            ObjectEntry entry = objects.entryOf(ref);
            if (!(entry.value() instanceof ObjectValue.Stored stored)) {
                out.add(List.of()); // pending, failed, or small enough to travel inline with the ref
                continue;
            }
            List<String> holders = new ArrayList<>(2);
            NodeScheduler primary = nodes.get(stored.node());
            if (primary.alive()) {
                holders.add(primary.nodeId());
            }
            for (NodeScheduler n : nodes) {
                if (n != primary && n.alive() && n.store() instanceof NodeObjectStore s && s.contains(entry.id())) {
                    holders.add(n.nodeId()); // a secondary copy fetched by a reader on that node
                }
            }
            out.add(List.copyOf(holders));
        }
        return out;
    }

    @Override
    public List<NodeInfo> nodes() {
        List<NodeInfo> out = new ArrayList<>(nodes.size());
        for (NodeScheduler n : nodes) {
            Map<String, Double> total = index.toMap(n.total());
            Map<String, Double> available = new LinkedHashMap<>();
            double[] a = n.snapshot().available();
            for (String r : total.keySet()) {
                int slot = index.slot(r);
                available.put(r, n.alive() && slot < a.length ? Math.max(0, a[slot]) : 0.0);
            }
            StoreStats st = n.store() instanceof NodeObjectStore s ? s.stats() : null;
            out.add(st == null
                    ? new NodeInfo(n.nodeId(), n.alive(), total, available, n.store().usedBytes(), n.store().objectCount())
                    : new NodeInfo(n.nodeId(), n.alive(), total, available, st.usedBytes(), st.objectCount(),
                            st.capacityBytes(), st.spilledBytes(), st.spillFileCount(), st.totalSpilledBytes(),
                            st.totalRestoredBytes()));
        }
        return out;
    }

    // ---- HandleResolver ------------------------------------------------------------------------------------

    @Override
    public void exported(ObjectEntry entry) {
        objects.export(entry);
    }

    @Override
    public ObjectRef<?> refFromWire(long objectId, String fromRuntime) {
        ObjectEntry entry = runtimeId.equals(fromRuntime) ? objects.lookup(objectId) : null;
        if (entry == null || entry.isFreed()) {
            return LocalObjectRef.dangling(objectId, objects);
        }
        return objects.wireHandle(entry);
    }

    @Override
    public ActorHandle<?> actorFromWire(String actorId, String fromRuntime) {
        return actors.byId(actorId);
    }

    @Override
    public PlacementGroup placementGroupFromWire(String groupId, String fromRuntime) {
        return groups.byId(groupId);
    }

    // ---- VirtualCluster ------------------------------------------------------------------------------------

    @Override
    public void killNode(String nodeId) {
        NodeScheduler node = nodeById(nodeId);
        if (node == null) {
            throw new IllegalArgumentException("no node " + nodeId + "; nodes are " + nodeIds());
        }
        if (!node.alive()) {
            return;
        }
        if (aliveNodeCount() == 1) {
            throw new IllegalArgumentException("cannot kill " + nodeId + ": it is the last alive node");
        }
        LOG.info("killing node {}", nodeId);
        node.runAndWait(NodeScheduler::die);
        groups.nodeDied(node); // bundles that were there are placed again on the surviving nodes
        try {
            // mark what the store held as lost (or being rebuilt) before the bytes go, so readers never miss both
            for (ObjectEntry entry : objects.storedOn(node)) {
                objectLost(node.index(), entry, "with node " + nodeId, null);
            }
        } finally {
            node.store().clear(); // the node is dead whatever its objects' readers make of the loss
        }
    }

    /**
     * An object whose primary copy was in node {@code nodeIndex}'s store is gone (the node died, or its spill
     * record vanished): rebuild it by re-running the task that made it, else fail its readers.
     */
    private void objectLost(int nodeIndex, ObjectEntry entry, String how, Throwable cause) {
        if (entry == null) {
            return;
        }
        synchronized (entry) { // the node's death and a late publication of the entry may both find it lost
            objectLostOnce(nodeIndex, entry, how, cause);
        }
    }

    /** {@code entry}, published after its node died, was stored there: it is lost like what the node held. */
    void lostWithDeadNode(int nodeIndex, ObjectEntry entry) {
        objectLost(nodeIndex, entry, "with node " + nodes.get(nodeIndex).nodeId(), null);
    }

    private void objectLostOnce(int nodeIndex, ObjectEntry entry, String how, Throwable cause) {
        if (!(entry.value() instanceof ObjectValue.Stored s) || s.node() != nodeIndex) {
            return;
        }
        objects.unstored(nodeIndex, entry.id());
        if (entry.producer() instanceof TaskRecord producer && tasks.rebuild(producer)) {
            LOG.info("rebuilding {} lost {} by re-running {}", entry.idString(), how, producer.name());
        } else {
            entry.reset();
            String message = "object " + entry.idString() + " (" + s.size() + " bytes" + (entry.isPut()
                    ? ", stored by put" : "") + ") was lost " + how + " and cannot be rebuilt"
                    + (entry.isPut() ? ": put objects have no lineage" : "");
            objects.complete(entry, new ObjectValue.Failed(cause == null ? new ObjectLostException(message)
                    : new ObjectLostException(message, cause)));
            // Copies other nodes fetched are of no use now (a read of a failed object fails before it looks at
            // stores), and freeing the entry later drops copies of stored values only: drop them here, or they
            // stay in those stores until the runtime closes.
            for (NodeScheduler n : nodes) {
                if (n.index() != nodeIndex && n.alive() && n.store() instanceof NodeObjectStore st && st.contains(entry.id())) {
                    n.free(entry.id());
                }
            }
        }
    }

    /** Node {@code nodeId}'s object store (for engine tests that look at copies, pins and spilling). */
    public NodeObjectStore store(String nodeId) {
        NodeScheduler n = nodeById(nodeId);
        if (n == null) {
            throw new IllegalArgumentException("no node " + nodeId + "; nodes are " + nodeIds());
        }
        return (NodeObjectStore) n.store();
    }

    @Override
    public String addNode(Map<String, Double> resources) {
        checkOpen();
        String id = startNode(resources);
        dispatcher.retryParked();
        dispatcher.capacityFreed(nodeById(id)); // work queued elsewhere may move to the new node
        return id;
    }

    @Override
    public List<String> nodeIds() {
        return nodes.stream().map(NodeScheduler::nodeId).toList();
    }

    @Override
    public long storeUsedBytes(String nodeId) {
        NodeScheduler n = nodeById(nodeId);
        if (n == null) {
            throw new IllegalArgumentException("no node " + nodeId + "; nodes are " + nodeIds());
        }
        return n.store().usedBytes();
    }

    @Override
    public List<Straggler> stragglers() {
        return stragglers;
    }

    @Override
    public long storeObjectCount(String nodeId) {
        NodeScheduler n = nodeById(nodeId);
        if (n == null) {
            throw new IllegalArgumentException("no node " + nodeId + "; nodes are " + nodeIds());
        }
        return n.store().objectCount();
    }

    // ---- close ---------------------------------------------------------------------------------------------

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        CurrentRuntime.closed(this);
        int actorsAlive = actors.killAll();
        int running = 0;
        for (NodeScheduler n : nodes) {
            if (!n.alive()) {
                continue;
            }
            List<Work> work = new ArrayList<>();
            n.runAndWait(x -> work.addAll(x.runningWork()));
            for (Work w : work) {
                if (w instanceof TaskSlot slot && slot.current != null) {
                    running++;
                    tasks.interrupt(slot.current, "the runtime closed");
                }
            }
        }
        int queued = 0;
        for (NodeScheduler n : nodes) {
            if (n.alive()) {
                List<Work> waiting = new ArrayList<>();
                n.runAndWait(x -> waiting.addAll(x.drainQueued()));
                for (Work w : waiting) {
                    queued++;
                    w.unschedulable(new WeftException(ErrorType.CANCELLED, w.describe() + " never ran: runtime "
                            + runtimeId + " closed"));
                }
            }
        }
        // Whatever the loops above missed (an actor's constructor, code that started as they ran) is interrupted too;
        // then code gets a grace period to end before the stores it reads are dropped.
        List<Straggler> left = runningCode.stopAll(runtimeId, closeGrace);
        stragglers = left;
        long live = objects.liveCount();
        long storeBytes = nodes.stream().mapToLong(n -> n.store().usedBytes()).sum();
        for (NodeScheduler n : nodes) {
            n.shutdown();
            n.store().clear();
        }
        if (live > 0 || actorsAlive > 0 || running > 0 || queued > 0) {
            LOG.info("runtime {} closed with {} objects still referenced ({} bytes in node stores), {} running and {} "
                    + "queued tasks stopped, {} actors killed", runtimeId, live, storeBytes, running, queued, actorsAlive);
        }
        objects.clear();
        stores.close();
        ScheduledThreadPoolExecutor t = timer;
        if (t != null) {
            t.shutdownNow();
            try {
                t.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        BufferAllocator a = allocator;
        if (a != null) {
            try {
                a.close();
            } catch (IllegalStateException e) {
                LOG.warn("runtime {}: Arrow values returned by get were not closed: {}", runtimeId, e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return "LocalRuntime(" + runtimeId + ", " + nodes.size() + " nodes)";
    }
}
