package dev.weft.engine.internal.cluster;

import dev.weft.api.ActorDiedException;
import dev.weft.api.ObjectRef;
import dev.weft.engine.internal.cluster.proto.ActorCallRequest;
import dev.weft.engine.internal.cluster.proto.FreeRequest;
import dev.weft.engine.internal.cluster.proto.ObjectsGrpc;
import dev.weft.engine.internal.cluster.proto.TaskReply;
import dev.weft.engine.internal.serial.CaptureCheck;
import dev.weft.spi.ActorCallSpec;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls that code running on a node makes on actors of other nodes (through handles it received), and the
 * refs to their results, which this node owns: it frees them on their holders when its handles are gone.
 */
final class NodeCaller implements ClusterActorHandle.Caller {
    private final NodeHost host;
    private final String callerId = "caller-" + UUID.randomUUID();
    private final Map<String, AtomicLong> seqs = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    final Map<String, OwnedObject> owned = new ConcurrentHashMap<>();

    NodeCaller(NodeHost host) {
        this.host = host;
    }

    private String owner() {
        return "node:" + host.nodeId();
    }

    ObjectRef<?> refFromWire(String id, String holder, String owner) {
        OwnedObject mine = owner.equals(owner()) ? owned.get(id) : null;
        if (mine != null) {
            return new ClusterRef<>(mine, host);
        }
        return new ClusterRef<>(id, owner, CompletableFuture.completedFuture(new Location.Held(holder, -1)), host);
    }

    @Override
    public <R> ObjectRef<R> call(ClusterActorHandle<?> actor, ActorCallSpec call) {
        CaptureCheck.check(call.method());
        String id = host.nodeId() + ":c" + ids.incrementAndGet();
        ActorCallRequest.Builder req = ActorCallRequest.newBuilder().setJobId("").setActorId(actor.actorId())
                .setTaskId(id).setMethod(host.functions.encode(call.method()))
                .setStatelessFunction(Functions.stateless(call.method()))
                .setName(call.displayName()).setCallerId(callerId);
        for (Object a : call.args()) {
            req.addArgs(Wire.arg(a, host.codec, host));
        }
        OwnedObject o = new OwnedObject(id, owner(), this::free);
        owned.put(id, o);
        ClusterRef<R> ref = new ClusterRef<>(o, host);
        AtomicLong seq = seqs.computeIfAbsent(actor.actorId(), k -> new AtomicLong());
        synchronized (seq) {
            req.setSeq(seq.getAndIncrement());
            host.channels.stream(actor.holder()).callActor(req.build(), new StreamObserver<>() {
                @Override
                public void onNext(TaskReply reply) {
                    o.location.complete(Wire.location(reply, host.codec));
                }

                @Override
                public void onError(Throwable t) {
                    o.location.complete(new Location.Failed(new ActorDiedException("actor " + actor.actorId()
                            + " at " + actor.holder() + " cannot be reached: " + t.getMessage(), t)));
                }

                @Override
                public void onCompleted() {
                }
            });
        }
        return ref;
    }

    private void free(OwnedObject o) {
        owned.remove(o.id);
        o.location.thenAccept(l -> {
            if (l instanceof Location.Held held) {
                ObjectsGrpc.newStub(host.channels.get(held.holder())).free(
                        FreeRequest.newBuilder().addObjectIds(o.id).build(), Ignore.get());
            }
        });
    }

    /** A reply observer for calls whose answer does not matter (frees, releases). */
    enum Ignore implements StreamObserver<Object> {
        INSTANCE;

        @SuppressWarnings("unchecked")
        static <T> StreamObserver<T> get() {
            return (StreamObserver<T>) (StreamObserver<?>) INSTANCE;
        }

        @Override
        public void onNext(Object value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
