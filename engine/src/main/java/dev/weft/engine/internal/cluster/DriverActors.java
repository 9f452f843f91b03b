package dev.weft.engine.internal.cluster;

import dev.weft.api.ActorDiedException;
import dev.weft.api.ActorHandle;
import dev.weft.api.ErrorType;
import dev.weft.api.ObjectRef;
import dev.weft.api.WeftException;
import dev.weft.engine.internal.cluster.proto.ActorCallRequest;
import dev.weft.engine.internal.cluster.proto.ActorEntry;
import dev.weft.engine.internal.cluster.proto.CreateActorReply;
import dev.weft.engine.internal.cluster.proto.CreateActorRequest;
import dev.weft.engine.internal.cluster.proto.GcsGrpc;
import dev.weft.engine.internal.cluster.proto.KillActorRequest;
import dev.weft.engine.internal.cluster.proto.LookupActorReply;
import dev.weft.engine.internal.cluster.proto.LookupLocalActorReply;
import dev.weft.engine.internal.cluster.proto.NameRequest;
import dev.weft.engine.internal.cluster.proto.NodeEntry;
import dev.weft.engine.internal.cluster.proto.NodeGrpc;
import dev.weft.engine.internal.cluster.proto.TaskReply;
import dev.weft.engine.internal.serial.CaptureCheck;
import dev.weft.spi.ActorCallSpec;
import dev.weft.spi.ActorSpec;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A driver's actors: creation on a node chosen over the nodes' resources (names registered in the GCS first),
 * calls sent in submission order per actor (each waits for its ref arguments and for the call before it to be
 * sent, and carries a sequence number the node orders by), kills, and lookups by name.
 */
final class DriverActors implements ClusterActorHandle.Caller {
    /** One actor as this driver sees it. Its fields after construction are guarded by its monitor. */
    static final class State {
        final String actorId;
        final String name;
        volatile String holder;
        final CompletableFuture<Void> created;
        CompletableFuture<Void> tail;
        long seq;
        /** How to create it again when its node dies (null for actors this driver did not create). */
        CreateActorRequest create;
        dev.weft.api.ActorOptions options;
        int restartsLeft;

        State(String actorId, String name, String holder, CompletableFuture<Void> created) {
            this.actorId = actorId;
            this.name = name;
            this.holder = holder;
            this.created = created;
            this.tail = created.handle((x, t) -> null);
        }

        String describe() {
            return "actor " + actorId + (name == null ? "" : " ('" + name + "')");
        }
    }

    private final ClusterRuntime rt;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    DriverActors(ClusterRuntime rt) {
        this.rt = rt;
    }

    <A> ActorHandle<A> create(ActorSpec spec) {
        CaptureCheck.check(spec.constructor());
        Args args = Args.prepare(spec.args(), rt);
        String id = rt.newId("a");
        String name = spec.options().name();
        CreateActorRequest.Builder req = CreateActorRequest.newBuilder();
        NodeEntry node = spec.options().placementGroup() != null
                ? rt.groups.route(spec.options().placementGroup(), spec.options().bundleIndex(), req)
                : rt.view.place(spec.options().resources(), spec.options().strategy(), "actor " + spec.displayName());
        if (node == null) {
            args.release();
            throw new WeftException(ErrorType.SYSTEM_FAILURE, "actor " + spec.displayName() + " cannot be created: the cluster has no live node");
        }
        if (name != null) {
            var reply = GcsGrpc.newBlockingStub(rt.control.get(rt.gcsAddress)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .registerActor(ActorEntry.newBuilder().setName(name).setActorId(id).setNodeId(node.getNodeId())
                            .setNodeAddress(node.getAddress()).setJobId(rt.jobId).setDetached(spec.options().detached()).build());
            if (!reply.getRegistered()) {
                args.release();
                throw new IllegalArgumentException("actor name '" + name + "' is already taken by actor "
                        + reply.getExisting().getActorId());
            }
        }
        CompletableFuture<Void> created = new CompletableFuture<>();
        State state = new State(id, name, node.getAddress(), created);
        states.put(id, state);
        req.setJobId(rt.jobId).setActorId(id)
                .setConstructor(rt.functions.encode(spec.constructor())).putAllResources(spec.options().resources())
                .setMaxRestarts(spec.options().maxRestarts()).setMaxConcurrency(spec.options().maxConcurrency())
                .setDetached(spec.options().detached()).setCodeSource(rt.address());
        if (name != null) {
            req.setName(name);
        }
        state.options = spec.options();
        state.restartsLeft = spec.options().maxRestarts();
        args.whenReady(() -> {
            try {
                req.addAllArgs(args.wire(rt.codec, rt));
                state.create = req.build();
            } catch (RuntimeException e) {
                args.release();
                created.completeExceptionally(e);
                return;
            }
            NodeGrpc.newStub(rt.channels.get(node.getAddress())).createActor(req.build(), new StreamObserver<>() {
                @Override
                public void onNext(CreateActorReply reply) {
                    args.release();
                    if (reply.getError().isEmpty()) {
                        created.complete(null);
                    } else {
                        created.completeExceptionally(rt.codec.decodeError(reply.getError().toByteArray()));
                    }
                }

                @Override
                public void onError(Throwable t) {
                    args.release();
                    created.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                }
            });
        });
        return new ClusterActorHandle<>(id, name, node.getAddress(), this);
    }

    /** A handle (and this driver's state for it) on an actor known by id and node. */
    <A> ActorHandle<A> handle(String actorId, String name, String holder) {
        states.computeIfAbsent(actorId, k -> new State(actorId, name, holder, CompletableFuture.completedFuture(null)));
        return new ClusterActorHandle<>(actorId, name, holder, this);
    }

    @Override
    public <R> ObjectRef<R> call(ClusterActorHandle<?> actor, ActorCallSpec call) {
        rt.checkOpen();
        CaptureCheck.check(call.method());
        State st = states.computeIfAbsent(actor.actorId(),
                k -> new State(actor.actorId(), actor.name(), actor.holder(), CompletableFuture.completedFuture(null)));
        Args args = Args.prepare(call.args(), rt);
        OwnedObject o = rt.newOwned(rt.newId("c"));
        ClusterRef<R> ref = new ClusterRef<>(o, rt);
        ActorCallRequest.Builder req = ActorCallRequest.newBuilder().setJobId(rt.jobId).setActorId(st.actorId)
                .setTaskId(o.id).setMethod(rt.functions.encode(call.method()))
                .setStatelessFunction(Functions.stateless(call.method())).setName(call.displayName())
                .setCallerId(rt.jobId).setCodeSource(rt.address());
        synchronized (st) {
            if (st.tail.isDone() && args.isReady()) {
                // the calls before are sent and the arguments are here: send now, in order, with no future chain
                send(st, o, req, args);
                return ref;
            }
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        args.whenReady(() -> ready.complete(null));
        synchronized (st) {
            st.tail = st.tail.thenCombine(ready, (x, y) -> y).handle((x, t) -> {
                send(st, o, req, args);
                return null;
            });
        }
        return ref;
    }

    /** Sends one call; runs in the actor's submission order (the tail chain), so sequence numbers follow it. */
    private void send(State st, OwnedObject o, ActorCallRequest.Builder req, Args args) {
        if (st.created.isCompletedExceptionally()) {
            args.release();
            Throwable why = st.created.handle((x, t) -> t).join();
            o.location.complete(new Location.Failed(new ActorDiedException(st.describe() + " could not be created: "
                    + ClusterRef.unwrap(why).getMessage(), why)));
            return;
        }
        try {
            req.addAllArgs(args.wire(rt.codec, rt));
        } catch (RuntimeException e) {
            args.release();
            o.location.complete(new Location.Failed(e));
            return;
        }
        long seq;
        synchronized (st) {
            seq = st.seq++;
        }
        String holder = st.holder;
        rt.channels.stream(holder).callActor(req.setSeq(seq).build(), new StreamObserver<>() {
            @Override
            public void onNext(TaskReply reply) {
                args.release();
                Location l = Wire.location(reply, rt.codec);
                if (l instanceof Location.Failed f && f.error() instanceof ActorDiedException died) {
                    l = new Location.Failed(new ActorDiedException(st.describe() + " is dead: " + died.getMessage(), died));
                }
                o.location.complete(l);
            }

            @Override
            public void onError(Throwable t) {
                args.release();
                if (rt.isClosed()) {
                    o.location.complete(new Location.Failed(new ActorDiedException(st.describe() + " cannot answer: "
                            + "its driver " + rt.jobId + " closed while this call was in flight", t)));
                    return;
                }
                rt.view.suspect(holder);
                String restarted = restartElsewhere(st, holder);
                o.location.complete(new Location.Failed(new ActorDiedException(st.describe() + " died with its node at "
                        + holder + " while this call was in flight" + (restarted == null ? "" : "; it restarts on " + restarted)
                        + ": " + t.getMessage(), t)));
            }

            @Override
            public void onCompleted() {
            }
        });
    }

    /**
     * After the actor's node {@code lost} died: creates it again (from its constructor) on another node when it has
     * restarts left, so later calls go there. Returns the new node's address, or null.
     */
    private String restartElsewhere(State st, String lost) {
        synchronized (st) {
            if (!st.holder.equals(lost)) {
                return st.holder; // already restarted by another failed call
            }
            if (st.create == null || st.restartsLeft == 0) {
                return null;
            }
            NodeEntry node = rt.view.place(st.options.resources(), st.options.strategy(), st.describe());
            if (node == null || node.getAddress().equals(lost)) {
                return null;
            }
            try {
                CreateActorReply reply = NodeGrpc.newBlockingStub(rt.channels.get(node.getAddress()))
                        .withDeadlineAfter(30, TimeUnit.SECONDS).createActor(st.create);
                if (!reply.getError().isEmpty()) {
                    return null;
                }
            } catch (StatusRuntimeException e) {
                return null;
            }
            if (st.restartsLeft > 0) {
                st.restartsLeft--;
            }
            st.holder = node.getAddress();
            st.seq = 0; // a new life on a new node: its calls are numbered afresh there
            return st.holder;
        }
    }

    void kill(ActorHandle<?> actor, boolean noRestart) {
        if (!(actor instanceof ClusterActorHandle<?> h)) {
            throw new WeftException(ErrorType.USER_ERROR, "actor " + actor.actorId() + " does not belong to this cluster session");
        }
        State st = states.get(h.actorId());
        String holder = st != null ? st.holder : h.holder();
        if (st != null) {
            st.created.handle((x, t) -> null).join();
        }
        try {
            NodeGrpc.newBlockingStub(rt.channels.get(holder)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .killActor(KillActorRequest.newBuilder().setActorId(h.actorId()).setNoRestart(noRestart).build());
        } catch (StatusRuntimeException e) {
            throw new ActorDiedException("actor " + h.actorId() + " could not be reached at " + holder + " to kill it: "
                    + e.getStatus(), e);
        }
        if (noRestart && h.name() != null) {
            GcsGrpc.newBlockingStub(rt.control.get(rt.gcsAddress)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .removeActor(ActorEntry.newBuilder().setName(h.name()).setActorId(h.actorId()).build());
        }
    }

    <A> Optional<ActorHandle<A>> byName(String name) {
        LookupActorReply reply = GcsGrpc.newBlockingStub(rt.control.get(rt.gcsAddress)).withDeadlineAfter(10, TimeUnit.SECONDS)
                .lookupActor(NameRequest.newBuilder().setName(name).build());
        if (reply.getFound()) {
            ActorEntry a = reply.getActor();
            return Optional.of(handle(a.getActorId(), a.getName(), a.getNodeAddress()));
        }
        // actors named by code running on a node (not through a driver) are known to that node only
        for (NodeEntry n : rt.view.nodes()) {
            if (!n.getAlive()) {
                continue;
            }
            try {
                LookupLocalActorReply local = NodeGrpc.newBlockingStub(rt.channels.get(n.getAddress()))
                        .withDeadlineAfter(10, TimeUnit.SECONDS).lookupLocalActor(NameRequest.newBuilder().setName(name).build());
                if (local.getFound()) {
                    return Optional.of(handle(local.getActorId(), name, n.getAddress()));
                }
            } catch (StatusRuntimeException e) {
                // a node that does not answer holds nothing we can call
            }
        }
        return Optional.empty();
    }
}
