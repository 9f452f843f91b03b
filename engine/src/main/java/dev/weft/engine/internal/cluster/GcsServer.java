package dev.weft.engine.internal.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.engine.internal.cluster.proto.ActorEntry;
import dev.weft.engine.internal.cluster.proto.DriverHeartbeatReply;
import dev.weft.engine.internal.cluster.proto.DriverHeartbeatRequest;
import dev.weft.engine.internal.cluster.proto.Empty;
import dev.weft.engine.internal.cluster.proto.GcsGrpc;
import dev.weft.engine.internal.cluster.proto.HeartbeatReply;
import dev.weft.engine.internal.cluster.proto.HeartbeatRequest;
import dev.weft.engine.internal.cluster.proto.JobRequest;
import dev.weft.engine.internal.cluster.proto.KvGetReply;
import dev.weft.engine.internal.cluster.proto.KvGetRequest;
import dev.weft.engine.internal.cluster.proto.KvPutRequest;
import dev.weft.engine.internal.cluster.proto.ListNodesReply;
import dev.weft.engine.internal.cluster.proto.ListNodesRequest;
import dev.weft.engine.internal.cluster.proto.LookupActorReply;
import dev.weft.engine.internal.cluster.proto.NameRequest;
import dev.weft.engine.internal.cluster.proto.NodeEntry;
import dev.weft.engine.internal.cluster.proto.NodeGrpc;
import dev.weft.engine.internal.cluster.proto.NodeStats;
import dev.weft.engine.internal.cluster.proto.RegisterActorReply;
import dev.weft.engine.internal.cluster.proto.RegisterDriverReply;
import dev.weft.engine.internal.cluster.proto.RegisterDriverRequest;
import dev.weft.engine.internal.cluster.proto.RegisterNodeReply;
import dev.weft.engine.internal.cluster.proto.RegisterNodeRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GCS on the head: nodes with their resources and liveness, drivers (jobs), named actors and a KV store.
 * Every mutation goes to the {@link GcsJournal} (when there is one) before it is acknowledged. A node or driver
 * that misses heartbeats for {@code deadAfterMillis} is dead: a dead driver's job is released on every node.
 * All tables are guarded by this object's monitor; calls to nodes are made outside it.
 */
public final class GcsServer extends GcsGrpc.GcsImplBase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GcsServer.class);

    private static final class NodeRecord {
        NodeEntry.Builder entry;
        long lastSeen;
    }

    private static final class DriverRecord {
        String address;
        long lastSeen;
    }

    private final Map<String, NodeRecord> nodes = new LinkedHashMap<>();
    private final Map<String, DriverRecord> drivers = new LinkedHashMap<>();
    private final Map<String, ActorEntry> named = new LinkedHashMap<>();
    private final Map<String, com.google.protobuf.ByteString> kv = new LinkedHashMap<>();
    private final GcsJournal journal;
    private final long heartbeatMillis;
    private final long deadAfterMillis;
    /** Added to the last-seen time of replayed nodes and drivers: the reconnect window beyond one timeout. */
    private final long comeBackBy;
    private final Channels channels;
    private final Runnable onStop;
    private final ScheduledExecutorService detector;
    private long nextNode;
    private long nextJob;
    private volatile String headAddress = "";

    /** {@code journal} may be null (no persistence). {@code onStop} ends the head process. */
    public GcsServer(GcsJournalHandle journal, long heartbeatMillis, long deadAfterMillis, String token, Runnable onStop) {
        this(journal, heartbeatMillis, deadAfterMillis, deadAfterMillis, token, ClusterTls.NONE, onStop);
    }

    /**
     * As above; {@code reconnectWindowMillis}: how long the nodes and drivers of a replayed journal have to come back
     * before they are dead (at least {@code deadAfterMillis}); {@code tls}: how the GCS reaches the nodes.
     */
    public GcsServer(GcsJournalHandle journal, long heartbeatMillis, long deadAfterMillis, long reconnectWindowMillis,
                     String token, ClusterTls tls, Runnable onStop) {
        this.journal = journal == null ? null : journal.journal;
        this.heartbeatMillis = heartbeatMillis;
        this.deadAfterMillis = deadAfterMillis;
        this.comeBackBy = Math.max(0, reconnectWindowMillis - deadAfterMillis);
        this.channels = new Channels(token, tls);
        this.onStop = onStop;
        if (this.journal != null) {
            replay();
        }
        this.detector = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("weft-gcs-detector").factory());
        long period = Math.max(50, Math.min(250, deadAfterMillis / 4));
        detector.scheduleWithFixedDelay(this::detect, period, period, TimeUnit.MILLISECONDS);
    }

    /** An opened journal, handed to the GCS (which closes it). */
    public static final class GcsJournalHandle {
        final GcsJournal journal;

        private GcsJournalHandle(GcsJournal journal) {
            this.journal = journal;
        }

        public static GcsJournalHandle open(java.nio.file.Path dir) {
            return new GcsJournalHandle(GcsJournal.open(dir));
        }
    }

    /** The address of the head's own node, which shares this server (it is not sent a Shutdown). */
    public void headAddress(String address) {
        this.headAddress = address;
    }

    private void replay() {
        long now = System.currentTimeMillis();
        journal.replay((kind, bytes) -> {
            try {
                switch (kind) {
                    case "node" -> {
                        RegisterNodeRequest r = RegisterNodeRequest.parseFrom(bytes);
                        NodeRecord rec = new NodeRecord();
                        rec.entry = NodeEntry.newBuilder().setNodeId(r.getNodeId()).setAddress(r.getAddress()).setAlive(true)
                                .setStats(NodeStats.newBuilder().setNodeId(r.getNodeId()).putAllTotal(r.getResourcesMap())
                                        .putAllAvailable(r.getResourcesMap()));
                        rec.lastSeen = now + comeBackBy; // a window to come back in
                        nodes.put(r.getNodeId(), rec);
                        nextNode = Math.max(nextNode, Long.parseLong(r.getNodeId().substring("node-".length())));
                    }
                    case "node-dead" -> {
                        NodeRecord rec = nodes.get(JobRequest.parseFrom(bytes).getJobId());
                        if (rec != null) {
                            rec.entry.setAlive(false);
                        }
                    }
                    case "job" -> {
                        RegisterDriverRequest r = RegisterDriverRequest.parseFrom(bytes);
                        String job = r.getAddress().substring(0, r.getAddress().indexOf(' '));
                        DriverRecord d = new DriverRecord();
                        d.address = r.getAddress().substring(job.length() + 1);
                        d.lastSeen = now + comeBackBy;
                        drivers.put(job, d);
                        nextJob = Math.max(nextJob, Long.parseLong(job.substring("job-".length())));
                    }
                    case "job-end" -> drivers.remove(JobRequest.parseFrom(bytes).getJobId());
                    case "actor" -> {
                        ActorEntry a = ActorEntry.parseFrom(bytes);
                        named.put(a.getName(), a);
                    }
                    case "actor-removed" -> named.remove(ActorEntry.parseFrom(bytes).getName());
                    case "kv" -> {
                        KvPutRequest p = KvPutRequest.parseFrom(bytes);
                        kv.put(p.getKey(), p.getValue());
                    }
                    default -> LOG.warn("journal record of unknown kind '{}' skipped", kind);
                }
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                throw new dev.weft.api.WeftException(dev.weft.api.ErrorType.SYSTEM_FAILURE,
                        "journal record '" + kind + "' is corrupt: " + e.getMessage(), e);
            }
        });
        LOG.info("GCS replayed its journal: {} nodes, {} jobs, {} named actors, {} keys", nodes.size(), drivers.size(),
                named.size(), kv.size());
    }

    private void log(String kind, com.google.protobuf.MessageLite record) {
        if (journal != null) {
            journal.append(kind, record.toByteArray());
        }
    }

    private static <T> void reply(StreamObserver<T> out, T value) {
        out.onNext(value);
        out.onCompleted();
    }

    private static boolean versionOk(int given, StreamObserver<?> out, String who) {
        if (given != ClusterProtocol.VERSION) {
            out.onError(Status.FAILED_PRECONDITION.withDescription(who + " speaks Weft cluster protocol version " + given
                    + " but this head speaks version " + ClusterProtocol.VERSION + "; run the same Weft version everywhere")
                    .asRuntimeException());
            return false;
        }
        return true;
    }

    @Override
    public void registerNode(RegisterNodeRequest req, StreamObserver<RegisterNodeReply> out) {
        if (!versionOk(req.getProtocolVersion(), out, "node at " + req.getAddress())) {
            return;
        }
        String id;
        synchronized (this) {
            id = req.getNodeId().isEmpty() || !nodes.containsKey(req.getNodeId()) && !req.getNodeId().startsWith("node-")
                    ? "node-" + (++nextNode) : req.getNodeId();
            RegisterNodeRequest logged = req.toBuilder().setNodeId(id).build();
            log("node", logged);
            NodeRecord rec = new NodeRecord();
            rec.entry = NodeEntry.newBuilder().setNodeId(id).setAddress(req.getAddress()).setAlive(true)
                    .setHead(req.getAddress().equals(headAddress))
                    .setStats(NodeStats.newBuilder().setNodeId(id).putAllTotal(req.getResourcesMap())
                            .putAllAvailable(req.getResourcesMap()).setStoreCapacityBytes(req.getObjectStoreBytes()));
            rec.lastSeen = System.currentTimeMillis();
            retireSameAddress(id, req.getAddress());
            nodes.put(id, rec);
        }
        LOG.info("node {} at {} registered with {}", id, req.getAddress(), req.getResourcesMap());
        reply(out, RegisterNodeReply.newBuilder().setNodeId(id).setHeartbeatIntervalMs(heartbeatMillis).build());
    }

    /**
     * A node that registers at the address of a node still listed alive replaced it (one process per host:port): a
     * head restarted on its journal, or a worker restarted on its port. The old one is dead now, not after its
     * heartbeat timeout, when marking it dead would also drop the connections to the new one.
     */
    private void retireSameAddress(String id, String address) {
        for (NodeRecord n : nodes.values()) {
            if (n.entry.getAlive() && n.entry.getAddress().equals(address) && !n.entry.getNodeId().equals(id)) {
                n.entry.setAlive(false);
                log("node-dead", JobRequest.newBuilder().setJobId(n.entry.getNodeId()).build());
                LOG.warn("node {} at {} is dead: node {} registered at its address", n.entry.getNodeId(), address, id);
            }
        }
    }

    @Override
    public void heartbeat(HeartbeatRequest req, StreamObserver<HeartbeatReply> out) {
        boolean known;
        synchronized (this) {
            NodeRecord rec = nodes.get(req.getNodeId());
            known = rec != null && rec.entry.getAlive();
            if (known) {
                rec.lastSeen = System.currentTimeMillis();
                rec.entry.setStats(req.getStats());
            }
        }
        reply(out, HeartbeatReply.newBuilder().setKnown(known).build());
    }

    @Override
    public synchronized void listNodes(ListNodesRequest req, StreamObserver<ListNodesReply> out) {
        ListNodesReply.Builder b = ListNodesReply.newBuilder();
        nodes.values().forEach(n -> b.addNodes(n.entry.build()));
        reply(out, b.build());
    }

    @Override
    public void registerDriver(RegisterDriverRequest req, StreamObserver<RegisterDriverReply> out) {
        if (!versionOk(req.getProtocolVersion(), out, "driver at " + req.getAddress())) {
            return;
        }
        String job;
        synchronized (this) {
            job = "job-" + (++nextJob);
            log("job", RegisterDriverRequest.newBuilder().setAddress(job + " " + req.getAddress()).build());
            DriverRecord d = new DriverRecord();
            d.address = req.getAddress();
            d.lastSeen = System.currentTimeMillis();
            drivers.put(job, d);
        }
        LOG.info("driver {} at {} connected", job, req.getAddress());
        reply(out, RegisterDriverReply.newBuilder().setJobId(job).setHeartbeatIntervalMs(heartbeatMillis).build());
    }

    @Override
    public void driverHeartbeat(DriverHeartbeatRequest req, StreamObserver<DriverHeartbeatReply> out) {
        boolean known;
        synchronized (this) {
            DriverRecord d = drivers.get(req.getJobId());
            known = d != null;
            if (known) {
                d.lastSeen = System.currentTimeMillis();
            }
        }
        reply(out, DriverHeartbeatReply.newBuilder().setKnown(known).build());
    }

    @Override
    public void unregisterDriver(JobRequest req, StreamObserver<Empty> out) {
        endJob(req.getJobId(), "disconnected");
        reply(out, Empty.getDefaultInstance());
    }

    private void endJob(String job, String why) {
        java.util.List<String> targets;
        synchronized (this) {
            if (drivers.remove(job) == null) {
                return;
            }
            log("job-end", JobRequest.newBuilder().setJobId(job).build());
            named.values().removeIf(a -> {
                if (a.getJobId().equals(job) && !a.getDetached()) {
                    log("actor-removed", a);
                    return true;
                }
                return false;
            });
            targets = nodes.values().stream().filter(n -> n.entry.getAlive()).map(n -> n.entry.getAddress()).toList();
        }
        LOG.info("job {} {}: releasing its objects and actors on {} nodes", job, why, targets.size());
        for (String address : targets) {
            NodeGrpc.newStub(channels.get(address)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .releaseJob(JobRequest.newBuilder().setJobId(job).build(), NodeCaller.Ignore.get());
        }
    }

    @Override
    public void registerActor(ActorEntry req, StreamObserver<RegisterActorReply> out) {
        RegisterActorReply reply;
        synchronized (this) {
            ActorEntry existing = named.get(req.getName());
            if (existing != null) {
                reply = RegisterActorReply.newBuilder().setRegistered(false).setExisting(existing).build();
            } else {
                log("actor", req);
                named.put(req.getName(), req);
                reply = RegisterActorReply.newBuilder().setRegistered(true).build();
            }
        }
        reply(out, reply);
    }

    @Override
    public synchronized void lookupActor(NameRequest req, StreamObserver<LookupActorReply> out) {
        ActorEntry a = named.get(req.getName());
        reply(out, a == null ? LookupActorReply.newBuilder().setFound(false).build()
                : LookupActorReply.newBuilder().setFound(true).setActor(a).build());
    }

    @Override
    public void removeActor(ActorEntry req, StreamObserver<Empty> out) {
        synchronized (this) {
            ActorEntry a = named.get(req.getName());
            if (a != null && a.getActorId().equals(req.getActorId())) {
                log("actor-removed", a);
                named.remove(req.getName());
            }
        }
        reply(out, Empty.getDefaultInstance());
    }

    @Override
    public void kvPut(KvPutRequest req, StreamObserver<Empty> out) {
        synchronized (this) {
            log("kv", req);
            kv.put(req.getKey(), req.getValue());
        }
        reply(out, Empty.getDefaultInstance());
    }

    @Override
    public synchronized void kvGet(KvGetRequest req, StreamObserver<KvGetReply> out) {
        com.google.protobuf.ByteString v = kv.get(req.getKey());
        reply(out, v == null ? KvGetReply.newBuilder().setFound(false).build()
                : KvGetReply.newBuilder().setFound(true).setValue(v).build());
    }

    @Override
    public void stopCluster(Empty req, StreamObserver<Empty> out) {
        // blocking calls to the nodes must not run on the transport thread this handler was called on
        Thread.ofVirtual().name("weft-gcs-stop").start(() -> {
            java.util.List<String> targets;
            synchronized (this) {
                targets = nodes.values().stream().filter(n -> n.entry.getAlive() && !n.entry.getAddress().equals(headAddress))
                        .map(n -> n.entry.getAddress()).toList();
            }
            LOG.info("stopping the cluster: {} worker nodes, then the head", targets.size());
            for (String address : targets) {
                try {
                    NodeGrpc.newBlockingStub(channels.get(address)).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .shutdown(Empty.getDefaultInstance());
                } catch (RuntimeException e) {
                    LOG.warn("node at {} did not acknowledge the stop: {}", address, e.toString());
                }
            }
            reply(out, Empty.getDefaultInstance());
            Thread.ofPlatform().daemon().start(onStop);
        });
    }

    private void detect() {
        long now = System.currentTimeMillis();
        java.util.List<String> deadJobs = new java.util.ArrayList<>();
        synchronized (this) {
            for (NodeRecord n : nodes.values()) {
                if (n.entry.getAlive() && now - n.lastSeen > deadAfterMillis) {
                    n.entry.setAlive(false);
                    log("node-dead", JobRequest.newBuilder().setJobId(n.entry.getNodeId()).build());
                    LOG.warn("node {} at {} is dead: no heartbeat for {} ms", n.entry.getNodeId(), n.entry.getAddress(),
                            now - n.lastSeen);
                    channels.forget(n.entry.getAddress());
                }
            }
            drivers.forEach((job, d) -> {
                if (now - d.lastSeen > deadAfterMillis) {
                    deadJobs.add(job);
                }
            });
        }
        for (String job : deadJobs) {
            endJob(job, "lost its driver (no heartbeat)");
        }
    }

    @Override
    public void close() {
        detector.shutdownNow();
        channels.close();
        if (journal != null) {
            journal.close();
        }
    }
}
