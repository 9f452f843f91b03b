package dev.weft.engine.internal.cluster;

import dev.weft.api.ActorDiedException;
import dev.weft.api.ActorHandle;
import dev.weft.api.ActorOptions;
import dev.weft.api.ObjectRef;
import dev.weft.api.Resources;
import dev.weft.api.TaskOptions;
import dev.weft.engine.internal.actors.LocalActorHandle;
import dev.weft.engine.internal.cluster.proto.ActorCallRequest;
import dev.weft.engine.internal.cluster.proto.Arg;
import dev.weft.engine.internal.cluster.proto.CancelRequest;
import dev.weft.engine.internal.cluster.proto.CreateActorReply;
import dev.weft.engine.internal.cluster.proto.CreateActorRequest;
import dev.weft.engine.internal.cluster.proto.Empty;
import dev.weft.engine.internal.cluster.proto.JobRequest;
import dev.weft.engine.internal.cluster.proto.KillActorRequest;
import dev.weft.engine.internal.cluster.proto.LookupLocalActorReply;
import dev.weft.engine.internal.cluster.proto.NameRequest;
import dev.weft.engine.internal.cluster.proto.NodeGrpc;
import dev.weft.engine.internal.cluster.proto.NodeStats;
import dev.weft.engine.internal.cluster.proto.RemoteObject;
import dev.weft.engine.internal.cluster.proto.TaskReply;
import dev.weft.engine.internal.cluster.proto.TaskRequest;
import dev.weft.spi.ActorCallSpec;
import dev.weft.spi.ActorSpec;
import dev.weft.spi.TaskSpec;
import dev.weft.engine.internal.cluster.proto.ReplyBatch;
import dev.weft.engine.internal.cluster.proto.SubmissionBatch;
import dev.weft.engine.internal.serial.SharedBytes;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.Consumer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The node's gRPC face: decodes what arrives, pulls remote arguments, submits to the embedded node and sends back
 * the result (inline when small, else a handle on the node's store). Runs on the transport's threads and never
 * blocks them: argument pulls and result encoding run on virtual threads.
 */
final class NodeService extends NodeGrpc.NodeImplBase {
    /** A task running here for job {@code job}, by its cluster task id (for cancel and job release). */
    record Running(String job, ObjectRef<?> ref) {
    }

    private static final ExecutorService VIRTUAL = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("weft-node-io").factory());

    private final NodeHost host;

    NodeService(NodeHost host) {
        this.host = host;
    }

    @Override
    public void submitTask(TaskRequest req, StreamObserver<TaskReply> out) {
        runTask(req, unary(out));
    }

    @Override
    public StreamObserver<SubmissionBatch> submit(StreamObserver<ReplyBatch> out) {
        return SubmissionReceiver.open(this, (ServerCallStreamObserver<ReplyBatch>) out);
    }

    /** Replies once on a unary call. */
    private static Consumer<TaskReply> unary(StreamObserver<TaskReply> out) {
        return reply -> {
            out.onNext(reply);
            out.onCompleted();
        };
    }

    /** Runs a task sent here; {@code reply} gets its outcome once (an error too, encoded). */
    void runTask(TaskRequest req, Consumer<TaskReply> reply) {
        host.jobs.of(req.getJobId(), req.getCodeSource())
                .thenCompose(job -> argBytes(req.getArgsList()))
                .whenComplete((a, t) -> {
                    if (t != null) {
                        replyError(reply, t);
                        return;
                    }
                    ObjectRef<Object> ref;
                    try {
                        JobFunction fn = new JobFunction(req.getJobId(), req.getFunction().toByteArray(),
                                req.getStatelessFunction(), a.length, 0, true);
                        ref = host.runtime.submitTask(new TaskSpec(fn, a, options(req)));
                    } catch (RuntimeException e) {
                        replyError(reply, e);
                        return;
                    }
                    host.running.put(req.getTaskId(), new Running(req.getJobId(), ref));
                    replyWhenDone(req.getTaskId(), req.getJobId(), ref, reply);
                });
    }

    /** This node's part of placement group {@code id} (null for none); fails naming it when it is not here. */
    private dev.weft.api.PlacementGroup group(String id) {
        if (id.isEmpty()) {
            return null;
        }
        NodeHost.Group g = host.groups.get(id);
        if (g == null) {
            throw new dev.weft.api.TaskUnschedulableException("placement group " + id + " has no bundles on node "
                    + host.nodeId() + " (it was removed, or its owner left)");
        }
        return g.local();
    }

    /** The options of a task sent here; built once per distinct shape (tasks of one function repeat them). */
    private TaskOptions options(TaskRequest req) {
        if (!req.getGroupId().isEmpty()) {
            return taskOptions(req, group(req.getGroupId()));
        }
        OptionsKey key = new OptionsKey(req.getResourcesMap(), req.getMaxRetries(), req.getRetryExceptions(), req.getName());
        TaskOptions o = optionsByShape.get(key);
        if (o == null) {
            o = taskOptions(req, null);
            if (optionsByShape.size() >= OPTIONS_CACHE_LIMIT) {
                optionsByShape.clear();
            }
            optionsByShape.put(key, o);
        }
        return o;
    }

    private record OptionsKey(Map<String, Double> resources, int maxRetries, boolean retryExceptions, String name) {
    }

    private static final int OPTIONS_CACHE_LIMIT = 1_000;
    private final Map<OptionsKey, TaskOptions> optionsByShape = new java.util.concurrent.ConcurrentHashMap<>();

    private static TaskOptions taskOptions(TaskRequest req, dev.weft.api.PlacementGroup group) {
        TaskOptions.Builder b = TaskOptions.builder()
                .resource(Resources.CPU, req.getResourcesOrDefault(Resources.CPU, 0.0))
                .maxRetries(req.getMaxRetries())
                .retryExceptions(req.getRetryExceptions());
        req.getResourcesMap().forEach(b::resource);
        if (!req.getName().isEmpty()) {
            b.name(req.getName());
        }
        if (group != null) {
            b.placementGroup(group, req.getBundleIndex());
        }
        return b.build();
    }

    /** The arguments' encoded bytes; remote ones are pulled on a virtual thread (the future completes there). */
    CompletableFuture<Object[]> argBytes(List<Arg> given) {
        boolean remote = false;
        for (Arg a : given) {
            remote |= a.hasRemote();
        }
        if (!remote) {
            return CompletableFuture.completedFuture(bytesOf(given));
        }
        return CompletableFuture.supplyAsync(() -> bytesOf(given), VIRTUAL);
    }

    private Object[] bytesOf(List<Arg> given) {
        Object[] out = new Object[given.size()];
        for (int i = 0; i < out.length; i++) {
            Arg a = given.get(i);
            out[i] = new SharedBytes(a.hasRemote() ? host.pull(a.getRemote().getHolder(), a.getRemote().getObjectId())
                    : a.getInline().toByteArray());
        }
        return out;
    }

    /** Sends {@code ref}'s outcome (already encoded by its job) once it exists; large values stay here. */
    void replyWhenDone(String objectId, String job, ObjectRef<?> ref, Consumer<TaskReply> out) {
        // a large result is exported as it lies in the store: reading it back only to learn its size cost a copy
        host.runtime.storedBytesSize(ref).whenCompleteAsync((size, t) -> {
            if (t == null && size >= ClusterProtocol.INLINE_LIMIT) {
                host.running.remove(objectId);
                host.exports.put(objectId, new NodeHost.Export(job, ref, true));
                out.accept(TaskReply.newBuilder().setStored(RemoteObject.newBuilder().setObjectId(objectId)
                        .setHolder(host.address())).setSize(size).build());
            } else {
                replyWithValue(objectId, job, ref, out);
            }
        }, ON_VIRTUAL);
    }

    private void replyWithValue(String objectId, String job, ObjectRef<?> ref, Consumer<TaskReply> out) {
        ref.toCompletableFuture().whenCompleteAsync((v, t) -> {
            host.running.remove(objectId);
            TaskReply reply;
            if (t != null) {
                ref.close();
                reply = TaskReply.newBuilder().setError(NodeHost.bytes(host.codec.encodeError(ClusterRef.unwrap(t)))).build();
            } else {
                byte[] bytes = (byte[]) v;
                if (bytes.length < ClusterProtocol.INLINE_LIMIT) {
                    ref.close();
                    reply = TaskReply.newBuilder().setInline(NodeHost.bytes(bytes)).setSize(bytes.length).build();
                } else {
                    host.exports.put(objectId, new NodeHost.Export(job, ref, true));
                    reply = TaskReply.newBuilder().setStored(RemoteObject.newBuilder().setObjectId(objectId)
                            .setHolder(host.address())).setSize(bytes.length).build();
                }
            }
            out.accept(reply);
        }, ON_VIRTUAL);
    }

    /**
     * Runs a reply where the outcome was published when that is a virtual thread (a task's or an actor's: the reply
     * is a few small objects and a queue add), else on a virtual thread of its own: never on the embedded node's
     * scheduler loop, which must not do work for the transport.
     */
    private static final java.util.concurrent.Executor ON_VIRTUAL = r -> {
        if (Thread.currentThread().isVirtual()) {
            r.run();
        } else {
            VIRTUAL.execute(r);
        }
    };

    private void replyError(Consumer<TaskReply> out, Throwable t) {
        out.accept(TaskReply.newBuilder().setError(NodeHost.bytes(host.codec.encodeError(ClusterRef.unwrap(t)))).build());
    }

    @Override
    public void createActor(CreateActorRequest req, StreamObserver<CreateActorReply> out) {
        host.jobs.of(req.getJobId(), req.getCodeSource())
                .thenCompose(job -> argBytes(req.getArgsList()))
                .whenComplete((a, t) -> {
                    CreateActorReply.Builder reply = CreateActorReply.newBuilder();
                    if (t != null) {
                        reply.setError(NodeHost.bytes(host.codec.encodeError(ClusterRef.unwrap(t))));
                    } else {
                        try {
                            ActorOptions.Builder o = ActorOptions.builder()
                                    .resource(Resources.CPU, req.getResourcesOrDefault(Resources.CPU, 0.0))
                                    .maxRestarts(req.getMaxRestarts()).maxConcurrency(Math.max(1, req.getMaxConcurrency()))
                                    .detached(req.getDetached());
                            req.getResourcesMap().forEach(o::resource);
                            if (!req.getName().isEmpty()) {
                                o.name(req.getName());
                            }
                            dev.weft.api.PlacementGroup group = group(req.getGroupId());
                            if (group != null) {
                                o.placementGroup(group, req.getBundleIndex());
                            }
                            JobFunction ctor = new JobFunction(req.getJobId(), req.getConstructor().toByteArray(), false,
                                    a.length, 0, false);
                            ActorHandle<?> h = host.runtime.createActor(new ActorSpec(ctor, a, o.build()));
                            host.actors.put(req.getActorId(), new NodeActor(req.getActorId(), req.getJobId(),
                                    req.getDetached(), (LocalActorHandle<?>) h));
                        } catch (RuntimeException e) {
                            reply.setError(NodeHost.bytes(host.codec.encodeError(e)));
                        }
                    }
                    out.onNext(reply.build());
                    out.onCompleted();
                });
    }

    @Override
    public void callActor(ActorCallRequest req, StreamObserver<TaskReply> out) {
        runCall(req, unary(out));
    }

    /** Runs an actor call sent here, after the caller's earlier calls; {@code out} gets its outcome once. */
    void runCall(ActorCallRequest req, Consumer<TaskReply> out) {
        NodeActor actor = host.actors.get(req.getActorId());
        if (actor == null) {
            replyError(out, new ActorDiedException("actor " + req.getActorId() + " is not on node " + host.nodeId()
                    + " (it was killed, its owner left, or its node restarted)"));
            return;
        }
        actor.inOrder(req.getCallerId(), req.getSeq(), tail -> {
            CompletableFuture<Object[]> args = host.jobs.of(req.getJobId(), req.getCodeSource())
                    .thenCompose(job -> argBytes(req.getArgsList()));
            if (tail.isDone() && args.isDone()) {
                // the call before has been handed to the actor and the arguments are here: no future chain
                Object[] a;
                try {
                    a = args.join();
                } catch (RuntimeException e) {
                    replyError(out, e);
                    return DONE;
                }
                submitCall(actor, req, a, out);
                return DONE;
            }
            return tail.thenCombine(args, (x, a) -> a).handle((a, t) -> {
                if (t != null) {
                    replyError(out, t);
                } else {
                    submitCall(actor, req, a, out);
                }
                return null;
            });
        });
    }

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private void submitCall(NodeActor actor, ActorCallRequest req, Object[] a, Consumer<TaskReply> out) {
        try {
            JobFunction method = new JobFunction(req.getJobId(), req.getMethod().toByteArray(),
                    req.getStatelessFunction(), a.length + 1, 1, true);
            ObjectRef<?> ref = actor.handle.submit(new ActorCallSpec(method, a,
                    req.getName().isEmpty() ? null : req.getName()));
            replyWhenDone(req.getTaskId(), req.getJobId(), ref, out);
        } catch (RuntimeException e) {
            replyError(out, e);
        }
    }

    @Override
    public void reserveBundles(dev.weft.engine.internal.cluster.proto.ReserveRequest req,
                               StreamObserver<dev.weft.engine.internal.cluster.proto.ReserveReply> out) {
        var reply = dev.weft.engine.internal.cluster.proto.ReserveReply.newBuilder();
        try {
            List<dev.weft.api.Bundle> bundles = req.getBundlesList().stream()
                    .map(b -> dev.weft.api.Bundle.of(b.getResourcesMap())).toList();
            dev.weft.api.PlacementGroup local = host.runtime.createPlacementGroup(dev.weft.api.PlacementStrategy.PACK,
                    bundles, req.getName().isEmpty() ? req.getGroupId() : req.getName());
            host.groups.put(req.getGroupId(), new NodeHost.Group(req.getJobId(), local));
            local.ready().toCompletableFuture().whenComplete((ok, t) -> {
                if (t != null || !Boolean.TRUE.equals(ok)) {
                    host.groups.remove(req.getGroupId());
                    local.remove();
                    reply.setError(NodeHost.bytes(host.codec.encodeError(t != null ? ClusterRef.unwrap(t)
                            : new dev.weft.api.TaskUnschedulableException("node " + host.nodeId()
                            + " cannot reserve its part of placement group " + req.getGroupId()))));
                }
                out.onNext(reply.build());
                out.onCompleted();
            });
        } catch (RuntimeException e) {
            reply.setError(NodeHost.bytes(host.codec.encodeError(e)));
            out.onNext(reply.build());
            out.onCompleted();
        }
    }

    @Override
    public void removeBundles(dev.weft.engine.internal.cluster.proto.GroupRequest req, StreamObserver<Empty> out) {
        NodeHost.Group g = host.groups.remove(req.getGroupId());
        if (g != null) {
            g.local().remove();
        }
        out.onNext(Empty.getDefaultInstance());
        out.onCompleted();
    }

    @Override
    public void killActor(KillActorRequest req, StreamObserver<Empty> out) {
        NodeActor actor = req.getNoRestart() ? host.actors.remove(req.getActorId()) : host.actors.get(req.getActorId());
        if (actor != null) {
            host.runtime.kill(actor.handle, req.getNoRestart());
        }
        out.onNext(Empty.getDefaultInstance());
        out.onCompleted();
    }

    @Override
    public void cancel(CancelRequest req, StreamObserver<Empty> out) {
        Running r = host.running.get(req.getTaskId());
        if (r != null) {
            host.runtime.cancel(r.ref(), req.getForce(), req.getRecursive());
        }
        out.onNext(Empty.getDefaultInstance());
        out.onCompleted();
    }

    @Override
    public void stats(Empty req, StreamObserver<NodeStats> out) {
        out.onNext(host.stats());
        out.onCompleted();
    }

    @Override
    public void releaseJob(JobRequest req, StreamObserver<Empty> out) {
        VIRTUAL.execute(() -> {
            host.releaseJob(req.getJobId());
            out.onNext(Empty.getDefaultInstance());
            out.onCompleted();
        });
    }

    @Override
    public void lookupLocalActor(NameRequest req, StreamObserver<LookupLocalActorReply> out) {
        Optional<ActorHandle<Object>> found = host.runtime.getActor(req.getName());
        LookupLocalActorReply.Builder reply = LookupLocalActorReply.newBuilder().setFound(found.isPresent());
        found.ifPresent(h -> reply.setActorId(host.exportLocalActor((LocalActorHandle<?>) h)));
        out.onNext(reply.build());
        out.onCompleted();
    }

    @Override
    public void shutdown(Empty req, StreamObserver<Empty> out) {
        out.onNext(Empty.getDefaultInstance());
        out.onCompleted();
        host.requestStop();
    }

}
