package dev.weft.engine.internal.cluster;

import com.google.protobuf.ByteString;
import dev.weft.api.ActorHandle;
import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectRef;
import dev.weft.api.Resources;
import dev.weft.api.WeftConfig;
import dev.weft.engine.internal.actors.LocalActorHandle;
import dev.weft.engine.internal.cluster.proto.GcsGrpc;
import dev.weft.engine.internal.cluster.proto.HeartbeatReply;
import dev.weft.engine.internal.cluster.proto.HeartbeatRequest;
import dev.weft.engine.internal.cluster.proto.NodeStats;
import dev.weft.engine.internal.cluster.proto.RegisterNodeReply;
import dev.weft.engine.internal.cluster.proto.RegisterNodeRequest;
import dev.weft.engine.internal.objects.LocalObjectRef;
import dev.weft.engine.internal.runtime.LocalRuntime;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node JVM's node: the engine's own node machinery (a one-node {@link LocalRuntime}: scheduler loop, workers
 * on virtual threads, actors, off-heap store) behind a gRPC server, registered with the GCS and heart-beating.
 * The gRPC layer only carries messages: tasks and actor calls arriving here are submitted to the embedded node
 * as they would be inside one JVM. Thread-safe; the process that starts it closes it.
 */
public final class NodeHost implements AutoCloseable, ClusterCodec.Side, ClusterRef.Host, ObjectTransfer.Source {
    private static final Logger LOG = LoggerFactory.getLogger(NodeHost.class);

    /** How a node starts. {@code gcsAddress} null means the GCS is served by this same server (the head). */
    public record Settings(String host, int port, double cpus, Map<String, Double> resources, long objectStoreBytes,
                           String gcsAddress, String token, long heartbeatIntervalMillis, ClusterTls tls) {
        public Settings(String host, int port, double cpus, Map<String, Double> resources, long objectStoreBytes,
                        String gcsAddress, String token, long heartbeatIntervalMillis) {
            this(host, port, cpus, resources, objectStoreBytes, gcsAddress, token, heartbeatIntervalMillis, ClusterTls.NONE);
        }
    }

    /**
     * An object of the embedded node that others may pull, and the job whose freeing drops it; {@code encoded}: its
     * value is already the encoded bytes (a job's result), else it is encoded when pulled.
     */
    record Export(String job, ObjectRef<?> ref, boolean encoded) {
    }

    private static volatile NodeHost hosted;
    private static final java.util.concurrent.ExecutorService CONTROL_THREADS = Executors.newFixedThreadPool(2,
            Thread.ofPlatform().daemon().name("weft-gcs-rpc", 0).factory());
    private static final java.util.concurrent.ExecutorService SERVER_THREADS =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("weft-node-rpc").factory());

    final LocalRuntime runtime;
    final Channels channels;
    /** Registration and heartbeats on a connection of their own, never queued behind data traffic to the head. */
    private final Channels control;
    final ClusterCodec codec;
    private final Server server;
    private final String address;
    private final String gcsAddress;
    private final Map<String, Double> resources;
    private final long storeBytes;
    private final ScheduledExecutorService timer;
    private final CountDownLatch stopped = new CountDownLatch(1);
    final Map<String, Export> exports = new ConcurrentHashMap<>();
    final Map<String, NodeService.Running> running = new ConcurrentHashMap<>();
    final Map<String, NodeActor> actors = new ConcurrentHashMap<>();
    /** This node's parts of placement groups, by group id, with the job that made them. */
    record Group(String job, dev.weft.api.PlacementGroup local) {
    }

    final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final AtomicLong exportIds = new AtomicLong();
    final NodeCaller caller;
    final Functions functions;
    final JobContexts jobs;
    private volatile String nodeId = "";
    private volatile boolean closed;

    private NodeHost(Settings s, List<BindableService> extra) throws IOException {
        this.resources = new java.util.LinkedHashMap<>(s.resources());
        this.resources.put(Resources.CPU, s.cpus());
        this.storeBytes = s.objectStoreBytes();
        WeftConfig.Builder config = WeftConfig.builder().address("local").addNode(resources);
        if (s.objectStoreBytes() > 0) {
            config.objectStoreBytes(s.objectStoreBytes());
        }
        this.runtime = new LocalRuntime(config.build());
        this.channels = new Channels(s.token(), s.tls());
        this.control = new Channels(s.token(), s.tls());
        this.codec = new ClusterCodec(this);
        this.caller = new NodeCaller(this);
        this.functions = new Functions(codec);
        WireHandles.hostedBy(this);
        this.jobs = new JobContexts(this);
        hosted = this;
        NettyServerBuilder b = s.tls().secure(NettyServerBuilder.forAddress(new InetSocketAddress(s.host(), s.port())))
                .maxInboundMessageSize(ClusterProtocol.MAX_MESSAGE_BYTES)
                    .flowControlWindow(ClusterProtocol.FLOW_WINDOW_BYTES)
                // handlers off the transport threads: a flood of calls must not delay heartbeats (a node or driver
                // whose heartbeat waits too long is declared dead); actor calls carry their own order (seq)
                .executor(SERVER_THREADS)
                // the GCS (heartbeats above all) on platform threads of its own, never queued behind task traffic
                .callExecutor(new io.grpc.ServerCallExecutorSupplier() {
                    @Override
                    public <Q, R> java.util.concurrent.Executor getExecutor(io.grpc.ServerCall<Q, R> call,
                                                                            io.grpc.Metadata headers) {
                        return call.getMethodDescriptor().getServiceName().equals(GcsGrpc.SERVICE_NAME)
                                ? CONTROL_THREADS : null;
                    }
                });
        var auth = TokenAuth.server(s.token());
        b.addService(ServerInterceptors.intercept(new NodeService(this), auth));
        b.addService(ServerInterceptors.intercept(ObjectTransfer.service(this), auth));
        for (BindableService service : extra) {
            b.addService(ServerInterceptors.intercept(service, auth));
        }
        try {
            this.server = b.build().start();
        } catch (IOException e) {
            runtime.close();
            channels.close();
            control.close();
            if (portInUse(e)) {
                throw new IOException("cannot listen on " + s.host() + ":" + s.port() + ": the port is in use ("
                        + e.getMessage() + ")", e);
            }
            throw e;
        }
        this.address = s.host() + ":" + server.getPort();
        this.gcsAddress = s.gcsAddress() == null ? address : s.gcsAddress();
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("weft-node-heartbeat").factory());
    }

    private static boolean portInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("already in use")) {
                return true;
            }
        }
        return false;
    }

    /** Starts the server (with {@code extra} services beside the node's, e.g. the GCS on the head) and registers. */
    public static NodeHost start(Settings settings, List<BindableService> extra,
                                 java.util.function.Consumer<String> onBound) throws IOException {
        NodeHost host = new NodeHost(settings, extra);
        try {
            onBound.accept(host.address);
            host.register();
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
        long interval = settings.heartbeatIntervalMillis();
        host.timer.scheduleWithFixedDelay(host::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
        return host;
    }

    private void register() {
        RegisterNodeReply reply = GcsGrpc.newBlockingStub(control.get(gcsAddress)).withDeadlineAfter(30, TimeUnit.SECONDS)
                .registerNode(RegisterNodeRequest.newBuilder().setProtocolVersion(ClusterProtocol.VERSION)
                        .setNodeId(nodeId).setAddress(address).putAllResources(resources)
                        .setObjectStoreBytes(storeBytes).build());
        nodeId = reply.getNodeId();
        LOG.info("node {} registered with the GCS at {}", nodeId, gcsAddress);
    }

    private void heartbeat() {
        try {
            HeartbeatReply reply = GcsGrpc.newBlockingStub(control.get(gcsAddress)).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .heartbeat(HeartbeatRequest.newBuilder().setNodeId(nodeId).setStats(stats()).build());
            if (!reply.getKnown()) {
                register();
            }
        } catch (StatusRuntimeException e) {
            LOG.debug("heartbeat to {} failed: {}", gcsAddress, e.getStatus());
            control.get(gcsAddress).resetConnectBackoff(); // a restarted head: back at the next beat
        } catch (RuntimeException e) {
            LOG.warn("heartbeat failed", e);
        }
    }

    NodeStats stats() {
        NodeInfo n = runtime.nodes().getFirst();
        return NodeStats.newBuilder().setNodeId(nodeId).putAllTotal(n.totalResources())
                .putAllAvailable(n.availableResources()).setStoreUsedBytes(n.objectStoreUsedBytes())
                .setObjectCount(n.objectCount()).setStoreCapacityBytes(n.objectStoreCapacityBytes())
                .setSpilledBytes(n.spilledBytes()).setSpillFileCount(n.spillFileCount())
                .setTotalSpilledBytes(n.totalSpilledBytes()).setTotalRestoredBytes(n.totalRestoredBytes()).build();
    }

    /** The node this JVM hosts (the one started last). */
    static NodeHost hosted() {
        NodeHost h = hosted;
        if (h == null) {
            throw new IllegalStateException("this JVM hosts no cluster node");
        }
        return h;
    }

    public String nodeId() {
        return nodeId;
    }

    @Override
    public String address() {
        return address;
    }

    public int port() {
        return server.getPort();
    }

    /** Blocks until a Shutdown call (e.g. from {@code weft stop}) or {@link #close()}. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    void requestStop() {
        stopped.countDown();
    }

    // ---- handles crossing this JVM ----------------------------------------------------------------------

    @Override
    public ClusterCodec codec() {
        return codec;
    }

    @Override
    public ObjectRef<?> refFromWire(String id, String holder, String owner) {
        return caller.refFromWire(id, holder, owner);
    }

    @Override
    public String exportLocalRef(LocalObjectRef<?> ref) {
        String id = nodeId + ":x" + exportIds.incrementAndGet();
        runtime.exported(ref.entry());
        // a handle of its own, made off the worker thread: handles a task makes are closed when the task ends
        ObjectRef<?> own = CompletableFuture.supplyAsync(() -> runtime.refFromWire(ref.numericId(), runtime.runtimeId()),
                r -> Thread.ofVirtual().start(r)).join();
        exports.put(id, new Export("", own, false));
        return id;
    }

    @Override
    public ActorHandle<?> actorFromWire(String actorId, String name, String holder) {
        return new ClusterActorHandle<>(actorId, name, holder, caller);
    }

    @Override
    public String exportLocalActor(LocalActorHandle<?> actor) {
        String id = nodeId + "/" + actor.actorId();
        actors.putIfAbsent(id, new NodeActor(id, "", true, actor));
        return id;
    }

    @Override
    public byte[] pull(String holder, String id) {
        int colon = id.indexOf(':');
        return pullOrAskOwner(holder, id, id, id.startsWith("job-") && colon > 0 ? id.substring(0, colon) : null);
    }

    @Override
    public byte[] pullObject(ClusterRef<?> ref, Location.Held held) {
        return pullOrAskOwner(held.holder(), held.keyOr(ref.id()), ref.id(), ref.owner());
    }

    /**
     * Pulls {@code key} from {@code holder}; when the holder no longer has it (it died, or freed it), asks the owning
     * driver for object {@code id}, which rebuilds it by lineage if it must and serves it.
     */
    private byte[] pullOrAskOwner(String holder, String key, String id, String owner) {
        try {
            return ObjectTransfer.pull(channels, codec, holder, key);
        } catch (dev.weft.api.ObjectLostException e) {
            if (owner != null && id.startsWith(owner + ":p")) {
                throw new dev.weft.api.ObjectLostException("object " + id + " was put by driver " + owner + " and cannot"
                        + " be read from it at " + holder + " (the driver is gone, or released it): put objects live in"
                        + " their owner's store and die with it; only task results are rebuilt by lineage ("
                        + e.getMessage() + ")", e);
            }
            String driver = jobs.driverOf(owner);
            if (driver == null || driver.equals(holder)) {
                throw e;
            }
            LOG.info("object {} is gone from {} ({}); asking its owner {} at {}", id, holder, e.getMessage(), owner, driver);
            // the owner may have to rebuild it first (by running tasks, maybe here): lend this task's CPU meanwhile
            return dev.weft.engine.internal.runtime.BlockedWait.lendingResources(
                    () -> ObjectTransfer.pull(channels, codec, driver, id));
        }
    }

    // ---- objects served to others -----------------------------------------------------------------------

    @Override
    public CompletableFuture<ObjectTransfer.Payload> bytesOf(String id) {
        Export e = exports.get(id);
        OwnedObject mine = e == null ? caller.owned.get(id) : null;
        if (mine != null) {
            return ObjectTransfer.heap(Wire.bytes(mine.location, id, this));
        }
        if (e == null) {
            return CompletableFuture.failedFuture(new dev.weft.api.ObjectLostException("object " + id
                    + " is not held by node " + nodeId + " (it was freed, or its owner left)"));
        }
        if (e.encoded()) {
            // a task's encoded result: served from the store's memory when it lies there (restored if spilled)
            java.util.Optional<dev.weft.store.ObjectView> stored = runtime.openStoredBytes(e.ref());
            if (stored.isPresent()) {
                return CompletableFuture.completedFuture(new ObjectTransfer.Stored(stored.get()));
            }
            return ObjectTransfer.heap(e.ref().toCompletableFuture().thenApply(v -> (byte[]) v));
        }
        return ObjectTransfer.heap(e.ref().toCompletableFuture().thenApply(v -> {
            try {
                return codec.encode(v);
            } finally {
                if (v instanceof org.apache.arrow.vector.VectorSchemaRoot root) {
                    root.close(); // the zero-copy view this get opened, not the stored block
                }
            }
        }));
    }

    @Override
    public void free(List<String> ids) {
        for (String id : ids) {
            Export e = exports.remove(id);
            if (e != null) {
                e.ref().close();
            }
        }
    }

    /** Frees what job {@code job} left on this node: its objects, its running tasks and its non-detached actors. */
    void releaseJob(String job) {
        exports.entrySet().removeIf(en -> {
            if (en.getValue().job().equals(job)) {
                en.getValue().ref().close();
                return true;
            }
            return false;
        });
        running.values().removeIf(r -> {
            if (r.job().equals(job)) {
                runtime.cancel(r.ref(), true, true);
                return true;
            }
            return false;
        });
        actors.values().removeIf(a -> {
            if (a.job.equals(job) && !a.detached) {
                runtime.kill(a.handle, true);
                return true;
            }
            return false;
        });
        groups.values().removeIf(g -> {
            if (g.job().equals(job)) {
                g.local().remove();
                return true;
            }
            return false;
        });
        jobs.release(job);
        LOG.info("node {} released job {}", nodeId, job);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        server.shutdown();
        try {
            server.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.shutdownNow();
        exports.values().forEach(e -> e.ref().close());
        exports.clear();
        runtime.close();
        channels.close();
        control.close();
        stopped.countDown();
    }

    static ByteString bytes(byte[] b) {
        return com.google.protobuf.UnsafeByteOperations.unsafeWrap(b);
    }
}
