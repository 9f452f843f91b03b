package dev.weft.engine.internal.cluster;

import dev.weft.api.ObjectLostException;
import dev.weft.engine.internal.cluster.proto.FreeRequest;
import dev.weft.engine.internal.cluster.proto.NodeEntry;
import dev.weft.engine.internal.cluster.proto.NodeGrpc;
import dev.weft.engine.internal.cluster.proto.ObjectsGrpc;
import dev.weft.engine.internal.cluster.proto.TaskReply;
import io.grpc.stub.StreamObserver;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A driver's lineage: objects made by its tasks (task results, and the refs made inside those tasks that their
 * results carried, such as dataset blocks) are rebuilt, when their holder lost them, by running the task that
 * made them again on a live node. Inputs of that task that are lost or already freed are rebuilt first,
 * recursively, up to {@link #MAX_DEPTH} tasks deep; an input rebuilt only for that is freed again afterwards.
 * Put objects have no lineage: they live in the driver's own store, and die only with it. Thread-safe: one rebuild
 * per lineage at a time, others wait for it and find the object in place.
 */
final class DriverLineage {
    /** How many producing tasks deep a rebuild may go (the lost object's task, its lost input's task, ...). */
    static final int MAX_DEPTH = 16;
    /** Runs of one task for rebuilding (beyond its first run) before its objects are declared lost. */
    static final int MAX_RERUNS = 8;
    private static final int SEND_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(DriverLineage.class);

    private final ClusterRuntime rt;
    /** Objects with lineage by id, also once freed (a node may still ask for one as a re-run task's input). */
    private final Map<String, WeakReference<OwnedObject>> known = new ConcurrentHashMap<>();
    private final AtomicLong registered = new AtomicLong();
    private final AtomicLong rebuilt = new AtomicLong();
    /** Tasks run again by the lineage of every driver in this JVM. */
    static final AtomicLong REBUILT_IN_JVM = new AtomicLong();

    DriverLineage(ClusterRuntime rt) {
        this.rt = rt;
    }

    /** Objects rebuilt by lineage in this driver so far (for tests and logs). */
    long rebuilt() {
        return rebuilt.get();
    }

    /** Records that {@code result} is made by a task sent as {@code request}, whose ref arguments are {@code refs}. */
    void record(OwnedObject result, dev.weft.engine.internal.cluster.proto.TaskRequest.Builder request,
                dev.weft.api.TaskOptions options, String name, List<ClusterRef<?>> refs) {
        List<OwnedObject> inputs = new ArrayList<>(refs.size());
        for (ClusterRef<?> r : refs) {
            if (r.owned() != null && r.host() == rt) {
                inputs.add(r.owned());
            }
        }
        result.producer = new TaskLineage(name, request, options, inputs, result);
        remember(result);
    }

    /** Called when the driver adopts a ref made by a node; it gets lineage when a task result is being decoded. */
    void adopted(OwnedObject o) {
        TaskLineage.adopted(o);
        if (o.producer != null) {
            remember(o);
        }
    }

    private void remember(OwnedObject o) {
        known.put(o.id, new WeakReference<>(o));
        if (registered.incrementAndGet() % 4096 == 0) {
            known.values().removeIf(w -> w.get() == null);
        }
    }

    /** An object with lineage by id, freed or not; null when unknown (or collected). */
    OwnedObject known(String id) {
        WeakReference<OwnedObject> w = known.get(id);
        return w == null ? null : w.get();
    }

    /** Whether the value of {@code o} can be read now (a pending one will be, an inline or failed one is final). */
    boolean available(OwnedObject o) {
        Location.Held h = o.held();
        if (h == null) {
            return true;
        }
        if (o.freed && o.moved == null) {
            return false;
        }
        return h.holder().equals(rt.address()) || rt.view.live(h.holder());
    }

    /** The encoded value of {@code o}, rebuilt by lineage when its holder no longer has it. */
    byte[] pull(OwnedObject o) {
        ObjectLostException last = null;
        for (int attempt = 0; attempt <= 2; attempt++) {
            Location.Held h = o.held();
            if (h == null) {
                return Wire.bytes(o.location, o.id, rt).join();
            }
            try {
                return rt.pull(h.holder(), h.keyOr(o.id));
            } catch (ObjectLostException e) {
                if (o.producer == null) {
                    throw e;
                }
                last = e;
                if (transportFailed(e)) {
                    rt.view.suspect(h.holder());
                }
                rebuild(o, 0, e, h);
            }
        }
        throw last;
    }

    private static boolean transportFailed(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof io.grpc.StatusRuntimeException s) {
                return s.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE;
            }
        }
        return false;
    }

    /**
     * Makes {@code o} readable again by running its producing task (and lost inputs of it) again; {@code failed} is
     * the copy found missing (another thread may have rebuilt the object meanwhile).
     */
    void rebuild(OwnedObject o, int depth, RuntimeException why, Location.Held failed) {
        TaskLineage l = o.producer;
        if (l == null) {
            throw new ObjectLostException("object " + o.id + " is lost and has no lineage (it was put, or made by "
                    + "another participant): " + why.getMessage(), why);
        }
        if (depth > MAX_DEPTH) {
            throw new ObjectLostException("object " + o.id + " cannot be rebuilt: its lineage goes deeper than "
                    + MAX_DEPTH + " lost tasks (task " + l.name + " at the limit)", why);
        }
        synchronized (l) {
            Location.Held now = o.held();
            if (now != null && !now.equals(failed) && available(o)) {
                return; // another thread rebuilt it while this one waited
            }
            if (++l.reruns > MAX_RERUNS) {
                throw new ObjectLostException("object " + o.id + " cannot be rebuilt: task " + l.name + " already ran "
                        + MAX_RERUNS + " more times to rebuild its objects", why);
            }
            List<OwnedObject> resurrected = new ArrayList<>();
            for (OwnedObject in : l.inputs) {
                if (!available(in)) {
                    LOG.info("rebuilding input {} of task {} first (depth {})", in.id, l.name, depth + 1);
                    rebuild(in, depth + 1, why, in.held());
                    if (in.freed) {
                        resurrected.add(in);
                    }
                }
            }
            try {
                rerun(l, o);
            } finally {
                resurrected.forEach(this::freeAgain);
            }
            rebuilt.incrementAndGet();
            REBUILT_IN_JVM.incrementAndGet();
        }
    }

    /** Runs {@code l}'s task again and points its objects (those still wanted) at the new copies. */
    private void rerun(TaskLineage l, OwnedObject wanted) {
        Location made = send(l);
        if (made instanceof Location.Failed f) {
            throw new ObjectLostException("object " + wanted.id + " could not be rebuilt: task " + l.name
                    + " failed when run again: " + f.error().getMessage(), f.error());
        }
        if (!l.children.isEmpty()) {
            byte[] bytes = made instanceof Location.Inline in ? in.bytes()
                    : rt.pull(((Location.Held) made).holder(), ((Location.Held) made).key());
            List<TaskLineage.Made> again = TaskLineage.madeIn(rt.codec, bytes);
            if (again.size() != l.children.size()) {
                again.forEach(m -> free(m.holder(), m.key()));
                throw new ObjectLostException("object " + wanted.id + " could not be rebuilt: task " + l.name
                        + " made " + again.size() + " objects when run again where it first made " + l.children.size()
                        + " (the task is not deterministic)");
            }
            for (int k = 0; k < again.size(); k++) {
                OwnedObject child = l.children.get(k);
                TaskLineage.Made m = again.get(k);
                if (child.freed && child != wanted) {
                    free(m.holder(), m.key());
                } else {
                    child.moved = new Location.Held(m.holder(), -1, m.key());
                }
            }
        }
        if (made instanceof Location.Held h) {
            if (l.result.freed && l.result != wanted) {
                free(h.holder(), h.key());
            } else {
                l.result.moved = h;
            }
        }
        LOG.info("task {} ran again on {} to rebuild object {} (and {} more made with it)", l.name,
                made instanceof Location.Held h ? h.holder() : "a node", wanted.id, l.children.size());
    }

    /** Sends {@code l}'s request under a new id to a live node; retries on another when the node dies. */
    private Location send(TaskLineage l) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
            NodeEntry node = rt.view.place(l.options.resources(), l.options.strategy(), "task " + l.name);
            if (node == null) {
                throw new ObjectLostException("task " + l.name + " cannot run again: the cluster has no live node");
            }
            String taskId = rt.newId("r");
            CompletableFuture<TaskReply> reply = new CompletableFuture<>();
            NodeGrpc.newStub(rt.channels.get(node.getAddress())).submitTask(l.again(taskId), new StreamObserver<>() {
                @Override
                public void onNext(TaskReply r) {
                    reply.complete(r);
                }

                @Override
                public void onError(Throwable t) {
                    reply.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                }
            });
            try {
                TaskReply r = reply.get();
                if (r.hasStored()) {
                    return new Location.Held(r.getStored().getHolder(), r.getSize(), r.getStored().getObjectId());
                }
                return Wire.location(r, rt.codec);
            } catch (ExecutionException e) {
                rt.view.suspect(node.getAddress());
                last = ClusterRef.unwrap(e.getCause());
                LOG.warn("task {} lost again with node {} while rebuilding ({})", l.name, node.getNodeId(), last.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ObjectLostException("interrupted while task " + l.name + " ran again to rebuild its objects", e);
            }
        }
        throw new ObjectLostException("task " + l.name + " could not run again: its node died " + SEND_ATTEMPTS
                + " times", last);
    }

    /** An input rebuilt only for a re-run is freed again once that re-run is done. */
    private void freeAgain(OwnedObject o) {
        Location.Held m = o.moved;
        if (m != null && o.freed) {
            o.moved = null;
            free(m.holder(), m.keyOr(o.id));
        }
    }

    private void free(String holder, String key) {
        if (!rt.isClosed()) {
            ObjectsGrpc.newStub(rt.channels.get(holder)).free(FreeRequest.newBuilder().addObjectIds(key).build(),
                    NodeCaller.Ignore.get());
        }
    }
}
