package dev.weft.engine.internal.cluster;

import dev.weft.api.ActorHandle;
import dev.weft.api.Bundle;
import dev.weft.api.ErrorType;
import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectLostException;
import dev.weft.api.ObjectRef;
import dev.weft.api.PlacementGroup;
import dev.weft.api.PlacementStrategy;
import dev.weft.api.TaskCancelledException;
import dev.weft.api.TaskOptions;
import dev.weft.api.WaitResult;
import dev.weft.api.WeftConfig;
import dev.weft.api.WeftException;
import dev.weft.api.WorkerCrashedException;
import dev.weft.engine.internal.actors.LocalActorHandle;
import dev.weft.engine.internal.cluster.proto.Arg;
import dev.weft.engine.internal.cluster.proto.CancelRequest;
import dev.weft.engine.internal.cluster.proto.FreeRequest;
import dev.weft.engine.internal.cluster.proto.GcsGrpc;
import dev.weft.engine.internal.cluster.proto.JobRequest;
import dev.weft.engine.internal.cluster.proto.ListNodesRequest;
import dev.weft.engine.internal.cluster.proto.NodeEntry;
import dev.weft.engine.internal.cluster.proto.NodeGrpc;
import dev.weft.engine.internal.cluster.proto.ObjectsGrpc;
import dev.weft.engine.internal.cluster.proto.RegisterDriverRequest;
import dev.weft.engine.internal.cluster.proto.TaskReply;
import dev.weft.engine.internal.cluster.proto.TaskRequest;
import dev.weft.engine.internal.objects.LocalObjectRef;
import dev.weft.engine.internal.serial.CaptureCheck;
import dev.weft.spi.ActorCallSpec;
import dev.weft.spi.ActorSpec;
import dev.weft.spi.CurrentRuntime;
import dev.weft.spi.TaskSpec;
import dev.weft.spi.WeftRuntime;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A driver on a running cluster: the {@code host:port} provider's runtime. It owns what it puts and submits:
 * puts live in its own store (served to nodes that pull them), results stay on the nodes that made them (inline
 * when small) until its last handle goes. Tasks are placed over the nodes' resources and retried elsewhere when
 * their node dies. Closing it (or its death, seen by the GCS) frees its objects and kills its non-detached actors
 * on every node. Thread-safe.
 */
public final class ClusterRuntime implements WeftRuntime, ClusterCodec.Side, ClusterRef.Host, ObjectTransfer.Source {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRuntime.class);

    final String gcsAddress;
    final Channels channels;
    /** Heartbeats and GCS calls on connections of their own, never queued behind task traffic to the head. */
    final Channels control;
    /** This driver talks plaintext gRPC (for the hint in connection errors). */
    private final boolean plaintext;
    final ClusterCodec codec;
    final Functions functions;
    final ClusterView view = new ClusterView();
    final String jobId;
    private final Server server;
    private final String address;
    private final DriverHeartbeat heartbeat;
    final Map<String, OwnedObject> owned = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong storeBytes = new AtomicLong();
    private final AtomicLong storeCount = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    final DriverActors actors;
    final DriverGroups groups = new DriverGroups(this);
    final DriverLineage lineage = new DriverLineage(this);

    public ClusterRuntime(WeftConfig config) {
        String given = config.effectiveAddress();
        InetSocketAddress head = ClusterProtocol.parseAddress(given);
        this.gcsAddress = ClusterProtocol.hostPort(head);
        String token = ClusterConnect.token(config);
        ClusterTls tls = ClusterTls.from(config);
        if (tls.enabled() && tls.cert() == null) {
            throw new WeftException(ErrorType.USER_ERROR, "a driver of a TLS cluster serves objects to its nodes, so it "
                    + "needs a certificate and key too (tlsCert and tlsKey, or WEFT_TLS_CERT and WEFT_TLS_KEY)");
        }
        this.plaintext = !tls.enabled();
        this.channels = new Channels(token, tls);
        this.control = new Channels(token, tls);
        this.codec = new ClusterCodec(this);
        this.functions = new Functions(codec);
        String host = head.getHostString().equals("localhost") ? "127.0.0.1" : head.getHostString();
        String bindHost = ClusterConnect.isLoopback(host) ? host : "0.0.0.0";
        try {
            this.server = tls.secure(NettyServerBuilder.forAddress(new InetSocketAddress(bindHost, 0)))
                    .maxInboundMessageSize(ClusterProtocol.MAX_MESSAGE_BYTES)
                    .flowControlWindow(ClusterProtocol.FLOW_WINDOW_BYTES).directExecutor()
                    .addService(ServerInterceptors.intercept(ObjectTransfer.service(this), TokenAuth.server(
                            token == null ? ClusterProtocol.newToken() : token)))
                    .build().start();
        } catch (IOException e) {
            channels.close();
            throw new WeftException(ErrorType.SYSTEM_FAILURE, "the driver cannot open its object server: " + e.getMessage(), e);
        }
        this.address = (ClusterConnect.isLoopback(host) ? host : ClusterConnect.localHost()) + ":" + server.getPort();
        try {
            var reply = GcsGrpc.newBlockingStub(control.get(gcsAddress)).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .registerDriver(RegisterDriverRequest.newBuilder().setProtocolVersion(ClusterProtocol.VERSION)
                            .setAddress(address).build());
            this.jobId = reply.getJobId();
            refreshNodes();
        } catch (StatusRuntimeException | WeftException e) {
            server.shutdownNow();
            channels.close();
            control.close();
            throw e instanceof StatusRuntimeException s ? ClusterConnect.connectError(given, s, plaintext) : (WeftException) e;
        }
        this.actors = new DriverActors(this);
        this.heartbeat = new DriverHeartbeat(this);
        LOG.info("driver {} joined the cluster at {}", jobId, gcsAddress);
    }

    /** Reads the nodes from the GCS, waiting up to 10 s for it to answer (a head restarting on its journal). */
    void refreshNodes() {
        try {
            view.update(GcsGrpc.newBlockingStub(control.get(gcsAddress)).withWaitForReady()
                    .withDeadlineAfter(10, TimeUnit.SECONDS).listNodes(ListNodesRequest.getDefaultInstance()).getNodesList());
        } catch (StatusRuntimeException e) {
            throw new WeftException(ErrorType.SYSTEM_FAILURE, "the GCS at " + gcsAddress + " did not answer driver "
                    + jobId + " within 10 s: " + e.getStatus(), e);
        }
    }

    void checkOpen() {
        if (closed.get()) {
            throw new WeftException(ErrorType.USER_ERROR, "this Weft session (driver " + jobId + ") is closed");
        }
        WeftException lost = heartbeat.lost();
        if (lost != null) {
            throw new WeftException(lost.errorType(), lost.getMessage(), lost);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    String newId(String kind) {
        return jobId + ":" + kind + ids.incrementAndGet();
    }

    OwnedObject newOwned(String id) {
        OwnedObject o = new OwnedObject(id, jobId, this::free);
        owned.put(id, o);
        return o;
    }

    @Override
    public String providerName() {
        return "cluster";
    }

    // ---- tasks ------------------------------------------------------------------------------------------

    @Override
    public <T> ObjectRef<T> submitTask(TaskSpec spec) {
        checkOpen();
        CaptureCheck.check(spec.function());
        TaskInputs inputs = TaskInputs.prepare(spec.args(), this);
        Args args = inputs.args();
        OwnedObject o = newOwned(newId("t"));
        ClusterRef<T> ref = new ClusterRef<>(o, this);
        TaskRequest.Builder req = TaskRequest.newBuilder().setJobId(jobId).setTaskId(o.id)
                .setFunction(functions.encode(spec.function())).setStatelessFunction(Functions.stateless(spec.function()))
                .putAllResources(spec.options().resources()).setMaxRetries(spec.options().maxRetries())
                .setRetryExceptions(spec.options().retryExceptions()).setName(spec.displayName()).setCodeSource(address);
        lineage.record(o, req, spec.options(), spec.displayName(), inputs.refs());
        args.whenReady(() -> send(o, req, args, spec.options(), spec.displayName(), 0));
        return ref;
    }

    private void send(OwnedObject o, TaskRequest.Builder req, Args args, TaskOptions options, String name, int attempt) {
        if (o.cancelled || closed.get()) {
            args.release();
            return;
        }
        List<Arg> wire;
        NodeEntry node;
        try {
            wire = args.wire(codec, this);
            node = options.placementGroup() != null ? groups.route(options.placementGroup(), options.bundleIndex(), req)
                    : Locality.place(view, o.producer, options, "task " + name);
        } catch (RuntimeException e) {
            args.release();
            o.location.complete(new Location.Failed(e));
            return;
        }
        if (node == null) {
            args.release();
            o.location.complete(new Location.Failed(new WorkerCrashedException("task " + name
                    + " cannot run: the cluster has no live node")));
            return;
        }
        req.clearArgs().addAllArgs(wire);
        o.taskNode = node.getAddress();
        var counter = view.inFlight(node.getAddress());
        counter.incrementAndGet();
        channels.stream(node.getAddress()).submitTask(req.build(), new StreamObserver<>() {
            @Override
            public void onNext(TaskReply reply) {
                counter.decrementAndGet();
                args.release();
                o.location.complete(Wire.location(reply, codec));
            }

            @Override
            public void onError(Throwable t) {
                counter.decrementAndGet();
                if (closed.get()) {
                    args.release();
                    o.location.complete(new Location.Failed(new WeftException(ErrorType.CANCELLED,
                            "task " + name + " was stopped: its driver closed")));
                    return;
                }
                view.suspect(node.getAddress());
                int max = options.maxRetries();
                if (max == -1 || attempt < max) {
                    LOG.warn("task {} lost with node {} ({}); retrying elsewhere (attempt {})", name, node.getNodeId(),
                            Status.fromThrowable(t).getCode(), attempt + 2);
                    send(o, req, args, options, name, attempt + 1);
                } else {
                    args.release();
                    o.location.complete(new Location.Failed(new WorkerCrashedException("task " + name + " failed: node "
                            + node.getNodeId() + " at " + node.getAddress() + " died while running it ("
                            + Status.fromThrowable(t).getCode() + "), and its " + max + " retries are used up", t)));
                }
            }

            @Override
            public void onCompleted() {
            }
        });
    }

    @Override
    public <T> ObjectRef<T> put(T value) {
        checkOpen();
        byte[] bytes = codec.encode(value);
        OwnedObject o = newOwned(newId("p"));
        o.location.complete(new Location.Inline(bytes));
        storeBytes.addAndGet(bytes.length);
        storeCount.incrementAndGet();
        return new ClusterRef<>(o, this);
    }

    private void free(OwnedObject o) {
        owned.remove(o.id);
        o.location.thenAccept(l -> {
            switch (l) {
                case Location.Inline inline -> {
                    if (o.id.contains(":p")) {
                        storeBytes.addAndGet(-inline.bytes().length);
                        storeCount.decrementAndGet();
                    }
                }
                case Location.Held first -> {
                    Location.Held held = o.held(); // where lineage rebuilt it, if it did
                    if (!closed.get()) {
                        ObjectsGrpc.newStub(channels.get(held.holder())).free(
                                FreeRequest.newBuilder().addObjectIds(held.keyOr(o.id)).build(), NodeCaller.Ignore.get());
                    }
                }
                case Location.Failed f -> {
                }
            }
        });
    }

    private ClusterRef<?> mine(ObjectRef<?> ref) {
        if (ref instanceof ClusterRef<?> c) {
            if (c.host() instanceof ClusterRuntime other && other != this && other.isClosed() && c.owned() != null) {
                throw new ObjectLostException("object " + ref.id() + " belongs to driver " + other.jobId
                        + ", which is closed: its objects are gone");
            }
            return c;
        }
        throw new WeftException(ErrorType.USER_ERROR, "ref " + (ref == null ? "null" : ref.id())
                + " does not belong to this cluster session (it is a " + (ref == null ? "null" : ref.getClass().getSimpleName()) + ")");
    }

    @Override
    public <T> List<T> get(List<? extends ObjectRef<? extends T>> refs, Duration timeout) {
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        List<T> out = new ArrayList<>(refs.size());
        for (ObjectRef<? extends T> r : refs) {
            ClusterRef<? extends T> ref = (ClusterRef<? extends T>) mine(r);
            out.add(timeout == null ? ref.get() : ref.get(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
        }
        return out;
    }

    @Override
    public <T> WaitResult<T> wait(List<? extends ObjectRef<T>> refs, int numReturns, Duration timeout) {
        LinkedBlockingQueue<Integer> done = new LinkedBlockingQueue<>();
        for (int i = 0; i < refs.size(); i++) {
            int index = i;
            mine(refs.get(i)).location().whenComplete((l, t) -> done.add(index));
        }
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        List<ObjectRef<T>> ready = new ArrayList<>();
        boolean[] isReady = new boolean[refs.size()];
        try {
            while (ready.size() < numReturns) {
                long left = deadline - System.nanoTime();
                Integer i = timeout == null ? done.take() : done.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (i == null) {
                    break;
                }
                isReady[i] = true;
                ready.add(refs.get(i));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeftException(ErrorType.CANCELLED, "interrupted in wait", e);
        }
        List<ObjectRef<T>> unready = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            if (!isReady[i]) {
                unready.add(refs.get(i));
            }
        }
        return new WaitResult<>(ready, unready);
    }

    @Override
    public void cancel(ObjectRef<?> ref, boolean force, boolean recursive) {
        OwnedObject o = mine(ref).owned();
        if (o == null || o.location.isDone()) {
            return;
        }
        o.cancelled = true;
        String node = o.taskNode;
        if (node == null) {
            o.location.complete(new Location.Failed(new TaskCancelledException("task " + o.id + " was cancelled")));
        } else {
            NodeGrpc.newBlockingStub(channels.get(node)).withDeadlineAfter(10, TimeUnit.SECONDS).cancel(
                    CancelRequest.newBuilder().setTaskId(o.id).setForce(force).setRecursive(recursive).build());
        }
    }

    // ---- actors -----------------------------------------------------------------------------------------

    @Override
    public <A> ActorHandle<A> createActor(ActorSpec spec) {
        checkOpen();
        return actors.create(spec);
    }

    @Override
    public <R> ObjectRef<R> submitActorCall(ActorHandle<?> actor, ActorCallSpec call) {
        return actor.submit(call);
    }

    @Override
    public <A> Optional<ActorHandle<A>> getActor(String name) {
        checkOpen();
        return actors.byName(name);
    }

    @Override
    public void kill(ActorHandle<?> actor, boolean noRestart) {
        checkOpen();
        actors.kill(actor, noRestart);
    }

    @Override
    public PlacementGroup createPlacementGroup(PlacementStrategy strategy, List<Bundle> bundles, String name) {
        checkOpen();
        return groups.create(strategy, bundles, name);
    }

    // ---- state ------------------------------------------------------------------------------------------

    @Override
    public List<NodeInfo> nodes() {
        checkOpen();
        refreshNodes();
        List<NodeInfo> out = new ArrayList<>();
        for (NodeEntry n : view.nodes()) {
            var s = n.getStats();
            if (n.getAlive()) {
                try {
                    s = NodeGrpc.newBlockingStub(channels.get(n.getAddress())).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .stats(dev.weft.engine.internal.cluster.proto.Empty.getDefaultInstance());
                } catch (StatusRuntimeException e) {
                    LOG.debug("stats of {} failed: {}", n.getNodeId(), e.getStatus());
                }
            }
            out.add(new NodeInfo(n.getNodeId(), n.getAlive(), s.getTotalMap(), s.getAvailableMap(), s.getStoreUsedBytes(),
                    s.getObjectCount(), s.getStoreCapacityBytes(), s.getSpilledBytes(), s.getSpillFileCount(),
                    s.getTotalSpilledBytes(), s.getTotalRestoredBytes()));
        }
        out.add(new NodeInfo("driver-" + jobId, true, Map.of(), Map.of(), storeBytes.get(), storeCount.get()));
        return out;
    }

    @Override
    public List<List<String>> objectLocations(List<? extends ObjectRef<?>> refs) {
        List<List<String>> out = new ArrayList<>();
        for (ObjectRef<?> r : refs) {
            OwnedObject ow = mine(r).owned();
            Location l = ow != null && ow.moved != null ? ow.moved : mine(r).location().getNow(null);
            if (l instanceof Location.Held held) {
                out.add(List.of(view.nodeIdOf(held.holder())));
            } else if (l instanceof Location.Inline inline && inline.bytes().length >= ClusterProtocol.INLINE_LIMIT) {
                out.add(List.of("driver-" + jobId));
            } else {
                out.add(List.of());
            }
        }
        return out;
    }

    // ---- what crosses the wire --------------------------------------------------------------------------

    @Override
    public ObjectRef<?> refFromWire(String id, String holder, String owner) {
        if (owner.equals(jobId)) {
            OwnedObject o = owned.get(id);
            if (o != null) {
                return new ClusterRef<>(o, this);
            }
            return new ClusterRef<>(id, owner, CompletableFuture.completedFuture(new Location.Failed(
                    new ObjectLostException("object " + id + " was already freed by its owner " + jobId))), this);
        }
        if (owner.isEmpty()) {
            ObjectRef<?> remade = TaskLineage.remapped(id, holder, this);
            if (remade != null) {
                return remade; // a ref made by a task run again for lineage: matched to the first run's by position
            }
            // a node's own ref came back in a value: this driver adopts it and frees it when done
            OwnedObject o = owned.computeIfAbsent(id, k -> {
                OwnedObject n = new OwnedObject(k, jobId, this::free);
                n.location.complete(new Location.Held(holder, -1));
                lineage.adopted(n);
                return n;
            });
            return new ClusterRef<>(o, this);
        }
        return new ClusterRef<>(id, owner, CompletableFuture.completedFuture(new Location.Held(holder, -1)), this);
    }

    @Override
    public String exportLocalRef(LocalObjectRef<?> ref) {
        throw new WeftException(ErrorType.USER_ERROR, "ref " + ref.id() + " of an embedded runtime cannot be sent to a cluster");
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public ActorHandle<?> actorFromWire(String actorId, String name, String holder) {
        return actors.handle(actorId, name, holder);
    }

    @Override
    public String exportLocalActor(LocalActorHandle<?> actor) {
        throw new WeftException(ErrorType.USER_ERROR, "actor " + actor.actorId() + " of an embedded runtime cannot be sent to a cluster");
    }

    @Override
    public ClusterCodec codec() {
        return codec;
    }

    @Override
    public byte[] pull(String holder, String id) {
        if (holder.equals(address)) {
            OwnedObject o = owned.get(id);
            if (o != null) {
                return Wire.bytes(o.location, id, this).join();
            }
        }
        return ObjectTransfer.pull(channels, codec, holder, id);
    }

    @Override
    public byte[] pullObject(ClusterRef<?> ref, Location.Held held) {
        OwnedObject o = ref.owned();
        return o != null && o.producer != null && ref.host() == this ? lineage.pull(o)
                : ClusterRef.Host.super.pullObject(ref, held);
    }

    @Override
    public CompletableFuture<ObjectTransfer.Payload> bytesOf(String id) {
        return ObjectTransfer.heap(encodedBytesOf(id));
    }

    private CompletableFuture<byte[]> encodedBytesOf(String id) {
        if (id.startsWith("code:")) {
            // this driver's class path, hashed once per JVM (off the transport thread: the first time reads every jar)
            return CompletableFuture.supplyAsync(() -> id.equals(JobCode.MANIFEST) ? JobCode.local().manifest()
                    : JobCode.local().bytes(id.substring("code:".length())), r -> Thread.ofVirtual().start(r));
        }
        OwnedObject o = owned.containsKey(id) ? owned.get(id) : lineage.known(id); // or a freed input of a re-run
        if (o == null) {
            return CompletableFuture.failedFuture(new ObjectLostException("object " + id + " is no longer held by its owner "
                    + jobId + " (all its handles were released)"));
        }
        OwnedObject found = o;
        return o.producer == null ? Wire.bytes(o.location, id, this)
                : CompletableFuture.supplyAsync(() -> lineage.pull(found), r -> Thread.ofVirtual().start(r));
    }

    @Override
    public void free(List<String> ids) {
        // nodes never free a driver's objects: the driver owns them
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        CurrentRuntime.closed(this);
        heartbeat.close();
        try {
            GcsGrpc.newBlockingStub(control.get(gcsAddress)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .unregisterDriver(JobRequest.newBuilder().setJobId(jobId).build());
        } catch (RuntimeException e) {
            LOG.warn("driver {} could not say goodbye to the GCS ({}); it will be released when its heartbeats stop",
                    jobId, e.toString());
        }
        for (OwnedObject o : owned.values()) {
            o.location.complete(new Location.Failed(new WeftException(ErrorType.CANCELLED,
                    "object " + o.id + " is gone: its driver " + jobId + " closed")));
        }
        owned.clear();
        server.shutdownNow();
        channels.close();
        control.close();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("driver {} left the cluster", jobId);
    }

    @Override
    public String toString() {
        return "ClusterRuntime(" + jobId + " at " + gcsAddress + ")";
    }
}
