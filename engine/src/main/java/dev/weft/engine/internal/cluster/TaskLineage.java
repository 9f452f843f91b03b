package dev.weft.engine.internal.cluster;

import dev.weft.api.ObjectRef;
import dev.weft.api.TaskOptions;
import dev.weft.engine.internal.cluster.proto.TaskRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How a driver makes one of its task's objects again: the task's request as last sent (function and arguments;
 * refs inside the arguments by id), its options, this driver's objects among its inputs (rebuilt first when they
 * are lost too), and the refs made inside the task that its result carried, by position (a dataset task returns
 * the blocks it put). Objects made by the task hold their lineage, and the lineage holds its inputs, so it lives
 * exactly as long as an object that may need it: while refs to the result or to something made from it live.
 * Re-running a task must give a result of the same shape; the refs it makes are matched by position.
 * Thread-safe: decoding and rebuilding lock the lineage.
 */
final class TaskLineage {
    /** The one thread-local decoding context: the lineage whose result is being decoded, or a remapping. */
    private static final ThreadLocal<Object> DECODING = new ThreadLocal<>();

    final String name;
    /** The request as last sent; copied (with a new task id) to run the task again. */
    private final TaskRequest.Builder request;
    final TaskOptions options;
    final List<OwnedObject> inputs;
    /** The result object (its own position is -1). */
    final OwnedObject result;
    final List<OwnedObject> children = new ArrayList<>();
    private boolean decoded;
    int reruns;

    TaskLineage(String name, TaskRequest.Builder request, TaskOptions options, List<OwnedObject> inputs, OwnedObject result) {
        this.name = name;
        this.request = request;
        this.options = options;
        this.inputs = List.copyOf(inputs);
        this.result = result;
    }

    /**
     * A copy of the request as last sent, under {@code taskId}, outside any placement group. (Tasks that wait for
     * the rebuilt object lend their CPUs while they wait, so the re-run finds room on their node.)
     */
    synchronized TaskRequest again(String taskId) {
        return request.clone().setTaskId(taskId).setGroupId("").setBundleIndex(-1).build();
    }

    /** Decodes this task's result; the first time, the refs made inside the task become its children. */
    Object decodeResult(ClusterCodec codec, byte[] bytes) {
        synchronized (this) {
            if (decoded) {
                return codec.decode(bytes);
            }
            DECODING.set(this);
            try {
                Object v = codec.decode(bytes);
                decoded = true;
                return v;
            } finally {
                DECODING.remove();
            }
        }
    }

    /** Called when a driver adopts a ref made by a node: it is a child of the result being decoded, if any. */
    static void adopted(OwnedObject o) {
        if (DECODING.get() instanceof TaskLineage l) {
            o.producer = l;
            o.position = l.children.size();
            l.children.add(o);
        }
    }

    /** The refs made by a re-run, in order, as (key, holder). */
    record Made(String key, String holder) {
    }

    /** Decodes a re-run's result only to list the refs made inside it (no handle is adopted). */
    static List<Made> madeIn(ClusterCodec codec, byte[] bytes) {
        List<Made> made = new ArrayList<>();
        DECODING.set(made);
        try {
            codec.decode(bytes);
        } finally {
            DECODING.remove();
        }
        return made;
    }

    /**
     * While a re-run's result is decoded: records a ref made by a node and returns a borrowed handle on it (null
     * when no re-run is being decoded, and the ref is adopted as usual).
     */
    @SuppressWarnings("unchecked")
    static ObjectRef<?> remapped(String id, String holder, ClusterRef.Host host) {
        if (DECODING.get() instanceof List<?> made) {
            ((List<Made>) made).add(new Made(id, holder));
            return new ClusterRef<>(id, "", CompletableFuture.completedFuture(new Location.Held(holder, -1)), host);
        }
        return null;
    }
}
