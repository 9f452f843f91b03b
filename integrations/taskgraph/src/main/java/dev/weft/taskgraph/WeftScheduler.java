package dev.weft.taskgraph;

import dev.weft.api.ObjectRef;
import dev.weft.api.Resources;
import dev.weft.api.TaskCaller;
import dev.weft.api.Weft;
import dev.weft.api.WeftException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs each task of a graph as a Weft task (level 3 of the integration levels, like Dask on Ray): dependencies are
 * passed as {@link ObjectRef}s, so intermediates stay in the object store and move between nodes only when a task
 * elsewhere needs them; a task starts when its dependencies exist. Each task holds its key's resource annotation
 * ({@link TaskGraph.Builder#resources}), else this scheduler's default (1 CPU). The driver releases its handle on
 * an intermediate as soon as its last dependent is submitted, so the store frees it once that task has read it.
 *
 * <p>{@link #compute} returns values; {@link #submit} returns refs the caller owns and closes. Thread-safe.
 */
public final class WeftScheduler implements GraphScheduler {
    private final Weft weft;
    private final Map<String, Double> defaultResources;

    /** Tasks hold 1 CPU each unless their key is annotated. */
    public WeftScheduler(Weft weft) {
        this(weft, Map.of(Resources.CPU, 1.0));
    }

    /** Tasks hold {@code defaultResources} unless their key is annotated. */
    public WeftScheduler(Weft weft, Map<String, Double> defaultResources) {
        this.weft = Objects.requireNonNull(weft, "weft");
        this.defaultResources = Resources.copyOf(defaultResources);
    }

    @Override
    public Map<String, Object> compute(TaskGraph graph, Collection<String> outputs) {
        Plan plan = Plan.of(graph, outputs);
        Map<String, ObjectRef<Object>> refs = submit(plan);
        try {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, ObjectRef<Object>> e : refs.entrySet()) {
                try {
                    out.put(e.getKey(), e.getValue().get());
                } catch (WeftException failure) {
                    throw plan.failure(failure, e.getKey());
                }
            }
            return out;
        } finally {
            refs.values().forEach(ObjectRef::close);
        }
    }

    /**
     * Submits the tasks {@code outputs} need and returns their refs at once, by key in the order given; the
     * caller owns them and closes them. A literal output is put in the store. A failure shows when a ref is read:
     * pass it to {@link #failure(TaskGraph, Collection, Throwable)} for the key and dependency path.
     */
    public Map<String, ObjectRef<Object>> submit(TaskGraph graph, Collection<String> outputs) {
        return submit(Plan.of(graph, outputs));
    }

    /** A failure read from a ref of {@link #submit} as a {@link TaskGraphException} naming the key and its path. */
    public TaskGraphException failure(TaskGraph graph, Collection<String> outputs, Throwable error) {
        return Plan.of(graph, outputs).failure(error, null);
    }

    private Map<String, ObjectRef<Object>> submit(Plan plan) {
        int n = plan.size();
        Object[] handles = new Object[n]; // an ObjectRef for a task key, the value for a literal key
        int[] holds = plan.holds();
        List<ObjectRef<?>> submitted = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                GraphNode node = plan.nodes[i];
                if (node.isLiteral()) {
                    handles[i] = node.value();
                    continue;
                }
                ObjectRef<Object> ref = submitTask(plan, i, handles);
                handles[i] = ref;
                submitted.add(ref);
                for (int d : plan.deps[i]) {
                    if (--holds[d] == 0 && handles[d] instanceof ObjectRef<?> r) {
                        r.close();
                    }
                }
            }
            Map<String, ObjectRef<Object>> out = new LinkedHashMap<>();
            for (String o : plan.outputs) {
                Object h = handles[plan.index.get(o)];
                @SuppressWarnings("unchecked")
                ObjectRef<Object> ref = h instanceof ObjectRef<?> r ? (ObjectRef<Object>) r : weft.put(h);
                out.put(o, ref);
            }
            return out;
        } catch (RuntimeException e) {
            submitted.forEach(ObjectRef::close);
            throw e;
        }
    }

    private ObjectRef<Object> submitTask(Plan plan, int i, Object[] handles) {
        NodeCall call = plan.calls[i];
        int[] d = plan.deps[i];
        Object[] a = new Object[d.length];
        for (int j = 0; j < d.length; j++) {
            a[j] = handles[d[j]];
        }
        TaskCaller<Object> caller = switch (d.length) {
            case 0 -> weft.task(GraphTasks::run0, call);
            case 1 -> weft.task(GraphTasks::run1, call, a[0]);
            case 2 -> weft.task(GraphTasks::run2, call, a[0], a[1]);
            case 3 -> weft.task(GraphTasks::run3, call, a[0], a[1], a[2]);
            case 4 -> weft.task(GraphTasks::run4, call, a[0], a[1], a[2], a[3]);
            case 5 -> weft.task(GraphTasks::run5, call, a[0], a[1], a[2], a[3], a[4]);
            default -> {
                List<Object> many = new ArrayList<>(a.length);
                for (int j = 0; j < a.length; j++) {
                    many.add(a[j] instanceof ObjectRef<?> ? a[j] : new GraphTasks.Literal(a[j]));
                }
                yield weft.task(GraphTasks::runMany, call, many);
            }
        };
        Map<String, Double> resources = plan.nodes[i].resources().isEmpty() ? defaultResources
                : plan.nodes[i].resources();
        if (!resources.containsKey(Resources.CPU)) {
            caller.numCpus(0);
        }
        resources.forEach(caller::resource);
        return caller.name(call.key()).remote();
    }
}
