package dev.weft.data.internal.exec;

import dev.weft.api.ActorHandle;
import dev.weft.api.ErrorType;
import dev.weft.api.ObjectRef;
import dev.weft.api.WeftException;
import dev.weft.data.internal.plan.PhysicalOp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A map operator on an actor pool. Each actor builds the UDFs once and takes up to {@link #SLOTS} calls at a
 * time; {@link ActorPoolScaler} grows the pool while bundles wait and shrinks it when actors idle.
 */
final class ActorMapState extends OperatorState {
    static final int SLOTS = 2;

    private final PhysicalOp.MapOp map;
    private final TaskPlan plan;
    private final long bundleRows;
    private final List<Actor> actors = new ArrayList<>();
    private int actorsStarted;
    private int actorsReleased;

    private static final class Actor {
        final ActorHandle<MapWorker> handle;
        int inFlight;
        long idleSince = System.nanoTime();

        Actor(ActorHandle<MapWorker> handle) {
            this.handle = handle;
        }
    }

    ActorMapState(int index, PhysicalOp.MapOp map, StreamingExecutor exec) {
        super(index, map, exec);
        this.map = map;
        this.plan = new TaskPlan(name, map.stages(), map.sink(), exec.jobId(), exec.context());
        this.bundleRows = TaskMapState.bundleRows(map.stages());
    }

    /**
     * Starts the pool at its minimum, or smaller when the minimum would leave upstream operators no CPU (the pool
     * grows to it once they are done). Fails at once when not even one actor fits beside one upstream task: its
     * CPUs are held for the pool's whole life, so the pipeline could never make progress.
     */
    @Override
    void start() {
        checkOneActorFits();
        int allow = Math.max(1, actorsTheCpusAllow());
        for (int i = 0; i < Math.min(map.compute().minActors(), allow); i++) {
            addActor();
        }
    }

    private void addActor() {
        ActorHandle<MapWorker> handle = exec.weft().actor(MapWorker::new, plan)
                .numCpus(map.compute().numCpus()).numGpus(map.compute().numGpus()).remote();
        actors.add(new Actor(handle));
        actorsStarted++;
        peakActors = Math.max(peakActors, actors.size());
    }

    int poolSize() {
        return actors.size();
    }

    int actorsStarted() {
        return actorsStarted;
    }

    int actorsReleased() {
        return actorsReleased;
    }

    @Override
    boolean tryLaunch() {
        if (cancelled || input.isEmpty() || !exec.admitOperator(this)) {
            return false;
        }
        Actor free = null;
        for (Actor a : actors) {
            if (a.inFlight < SLOTS && (free == null || a.inFlight < free.inFlight)) {
                free = a;
            }
        }
        if (free == null) {
            return false;
        }
        List<BlockRef> bundle = takeBundle(bundleRows, exec.context().targetMaxBlockSizeBytes());
        if (bundle == null) {
            return false;
        }
        long inBytes = bundle.stream().mapToLong(BlockRef::sizeBytes).sum();
        int taskIndex = nextTaskIndex++;
        ObjectRef<TaskResult> ref = free.handle.task(MapWorker::process, bundle, taskIndex)
                .name(name + "#" + taskIndex).remote();
        free.inFlight++;
        launched(new Running(ref, bundle, inBytes, estimateOutput(inBytes), taskIndex, TaskMapState.files(bundle), free));
        return true;
    }

    @Override
    void completed(Running r, TaskResult result) {
        Actor a = (Actor) r.actor();
        a.inFlight--;
        if (a.inFlight == 0) {
            a.idleSince = System.nanoTime();
        }
        super.completed(r, result);
    }

    /** A call failed (or was cancelled): its actor has a free slot again. */
    void callFailed(Running r) {
        Actor a = (Actor) r.actor();
        a.inFlight--;
        if (a.inFlight == 0) {
            a.idleSince = System.nanoTime();
        }
    }

    @Override
    void maintain() {
        if (done) {
            return;
        }
        if (cancelled) {
            releaseIdle();
            return;
        }
        int freeSlots = 0;
        int idle = 0;
        long idleNanos = exec.context().actorIdleTimeout().toNanos();
        long now = System.nanoTime();
        for (Actor a : actors) {
            freeSlots += SLOTS - a.inFlight;
            if (a.inFlight == 0 && now - a.idleSince >= idleNanos) {
                idle++;
            }
        }
        int queuedBundles = (int) Math.min(Integer.MAX_VALUE, bundleRows > 1
                ? (inputQueuedRows + bundleRows - 1) / bundleRows : input.size());
        checkOneActorFits();
        int allow = Math.max(1, actorsTheCpusAllow());
        int min = Math.min(map.compute().minActors(), allow);
        int max = Math.max(min, Math.min(map.compute().maxActors(), allow));
        int delta = ActorPoolScaler.decide(actors.size(), min, max,
                queuedBundles, freeSlots, SLOTS, idle, exec.globalBudgetAllowsGrowth());
        for (int i = 0; i < delta; i++) {
            addActor();
        }
        releaseBeyond(allow);
        for (int i = 0; i < -delta; i++) {
            Actor victim = null;
            for (Actor a : actors) {
                if (a.inFlight == 0 && now - a.idleSince >= idleNanos) {
                    victim = a;
                    break;
                }
            }
            if (victim == null) {
                break;
            }
            actors.remove(victim);
            actorsReleased++;
            exec.weft().kill(victim.handle);
        }
    }

    /**
     * The largest pool that still leaves a CPU slot for upstream work: actors hold their CPUs for their whole
     * life, so a pool grown into every CPU starves the very tasks that feed it and the pipeline stops. Like
     * Ray Data's resource reservation for upstream operators, we keep back the CPUs of one task of the
     * hungriest upstream operator that still has work, plus what other actor pools of this pipeline hold.
     */
    int actorsTheCpusAllow() {
        double perActor = map.compute().numCpus();
        if (perActor <= 0) {
            return Integer.MAX_VALUE;
        }
        double otherPools = 0;
        for (OperatorState op : exec.operators()) {
            if (op != this && op instanceof ActorMapState other) {
                otherPools += other.poolSize() * other.map.compute().numCpus();
            }
        }
        double available = exec.clusterCpus() - otherPools - upstreamReserve();
        return (int) Math.max(0, Math.floor(available / perActor + 1e-9));
    }

    /**
     * More actors than the CPUs allow (a node died and its actors restarted on the survivors, taking the CPUs
     * upstream tasks need): idle actors beyond {@code allow} are released at once, whatever the pool's minimum.
     */
    private void releaseBeyond(int allow) {
        for (int excess = actors.size() - allow; excess > 0; excess--) {
            Actor victim = null;
            for (Actor a : actors) {
                if (a.inFlight == 0) {
                    victim = a;
                    break;
                }
            }
            if (victim == null) {
                return;
            }
            actors.remove(victim);
            actorsReleased++;
            exec.weft().kill(victim.handle);
        }
    }

    /**
     * Fails the execution when not even one actor fits beside one upstream task on the live nodes (at the start, or
     * after nodes died): the actor would hold the CPUs its own input needs, and the pipeline would wait forever.
     */
    private void checkOneActorFits() {
        double perActor = map.compute().numCpus();
        double reserve = upstreamReserve();
        double cpus = exec.clusterCpus();
        if (perActor <= 0 || cpus - reserve + 1e-9 >= perActor) {
            return;
        }
        List<String> dead = exec.weft().nodes().stream().filter(n -> !n.alive()).map(n -> n.nodeId()).toList();
        throw new WeftException(ErrorType.USER_ERROR, name + " on an actor pool (" + map.compute().describe()
                + ") cannot run: each actor holds " + perActor + " CPU(s) for the pool's whole life, upstream tasks "
                + "need " + reserve + " CPU(s) at the same time, and the cluster's live nodes have " + cpus
                + " CPU(s) in all" + (dead.isEmpty() ? "" : " (dead: " + String.join(", ", dead) + ")")
                + ". Give each actor fewer CPUs (MapBatches.numCpus), add CPUs, or run the map as tasks "
                + "(MapBatches.tasks()).");
    }

    private double upstreamReserve() {
        double reserve = 0;
        for (OperatorState op : exec.operators()) {
            if (op != this && !(op instanceof ActorMapState) && op.index < index && !op.done && !op.cancelled) {
                reserve = Math.max(reserve, op.taskCpus());
            }
        }
        return reserve;
    }

    /** How long until the next idle actor could be released, in nanoseconds (for the executor's wait). */
    long nanosUntilIdleCheck() {
        if (actors.size() <= map.compute().minActors()) {
            return Long.MAX_VALUE;
        }
        long idleNanos = exec.context().actorIdleTimeout().toNanos();
        long now = System.nanoTime();
        long best = Long.MAX_VALUE;
        for (Actor a : actors) {
            if (a.inFlight == 0) {
                best = Math.min(best, Math.max(0, a.idleSince + idleNanos - now));
            }
        }
        return best;
    }

    /**
     * Once the operator is cancelled (the job failed or stopped) no actor will get work again: release each one
     * the moment its last call ends. Waiting for the end of the whole operator would keep their CPUs from an
     * actor of the pool still waiting for its node, whose queued calls could then never run nor end.
     */
    private void releaseIdle() {
        for (Iterator<Actor> it = actors.iterator(); it.hasNext(); ) {
            Actor a = it.next();
            if (a.inFlight == 0) {
                it.remove();
                kill(a);
            }
        }
    }

    private void kill(Actor a) {
        actorsReleased++;
        try {
            exec.weft().kill(a.handle);
        } catch (RuntimeException ignored) {
            // the actor may already be gone; releasing the rest matters more
        }
    }

    @Override
    void onDone() {
        releaseAll();
    }

    /** Kills the pool too: that fails the calls queued on an actor still waiting for its node. */
    @Override
    void abandon() {
        super.abandon();
        releaseAll();
    }

    @Override
    Map<String, Double> demand() {
        return demandOf(map.compute().numCpus(), map.compute().numGpus());
    }

    @Override
    String describeWork() {
        if (done) {
            return "done";
        }
        List<Integer> calls = actors.stream().map(a -> a.inFlight).toList();
        return "actor pool of " + actors.size() + " actor(s) (min " + map.compute().minActors() + ", max "
                + map.compute().maxActors() + "; " + actorsStarted + " started, " + actorsReleased
                + " released), calls in flight per actor " + calls + " (an actor whose calls never end may still be "
                + "waiting for its node), " + super.describeWork();
    }

    @Override
    String runningWhat() {
        return " call(s) in flight";
    }

    void releaseAll() {
        actors.forEach(this::kill);
        actors.clear();
    }

    @Override
    boolean writesToSink() {
        return plan.sink() != null;
    }
}
