package dev.weft.gang;

import dev.weft.api.ActorDiedException;
import dev.weft.api.ActorHandle;
import dev.weft.api.Bundle;
import dev.weft.api.ErrorType;
import dev.weft.api.GetTimeoutException;
import dev.weft.api.ObjectRef;
import dev.weft.api.PlacementGroup;
import dev.weft.api.PlacementStrategy;
import dev.weft.api.TaskCancelledException;
import dev.weft.api.Weft;
import dev.weft.api.WeftException;
import dev.weft.api.WeftFunc0;
import dev.weft.api.WeftFunc1;
import dev.weft.api.WeftFunc2;
import dev.weft.api.WeftFunc3;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A gang of actors started together in a placement group (level 1 of the integration levels, like Horovod on Ray):
 * each member gets its rank, the world size and every member's rendezvous address, and the members talk out of
 * band over their own sockets ({@link GroupContext}, {@link Ring}). Weft only places them and keeps the gang
 * whole: when a member dies during {@link #run}, the group either restarts together (every member replaced, in a
 * new placement group; up to {@code maxRestarts} times) or, when elastic, continues with the survivors (re-ranked,
 * their state kept) while at least {@code minSize} remain; then the run starts again on the re-formed group.
 *
 * <pre>{@code
 * try (WorkerGroup<Void> group = WorkerGroup.builder(weft).size(4).strategy(PlacementStrategy.STRICT_SPREAD).start()) {
 *     List<double[]> sums = group.run((state, ctx) -> {
 *         double[] v = localGradient(ctx.rank());
 *         ctx.ring().allReduceSum(v);
 *         return v;
 *     });
 * }
 * }</pre>
 *
 * Not thread-safe: one driver thread runs the group. The creator closes it; closing kills the members and frees
 * the placement group. Idempotent.
 */
public final class WorkerGroup<S> implements AutoCloseable {
    private static final Duration PLACEMENT_PATIENCE = Duration.ofSeconds(60);
    private static final Duration PING_PATIENCE = Duration.ofSeconds(30);

    private final Weft weft;
    private final WeftFunc0<S> stateFactory;
    private final int maxSize;
    private final int minSize;
    private final boolean elastic;
    private final PlacementStrategy strategy;
    private final Bundle bundle;
    private final int maxRestarts;
    private final String bindHost;

    private PlacementGroup placementGroup;
    private List<ActorHandle<Member<S>>> members = new ArrayList<>();
    private int generation;
    private int restarts;
    private boolean closed;

    private WorkerGroup(Builder<S> b) {
        this.weft = b.weft;
        this.stateFactory = b.stateFactory;
        this.maxSize = b.maxSize;
        this.minSize = b.minSize;
        this.elastic = b.elastic;
        this.strategy = b.strategy;
        this.bundle = b.bundle;
        this.maxRestarts = b.maxRestarts;
        this.bindHost = b.bindHost;
    }

    /** A group of stateless members. */
    public static Builder<Void> builder(Weft weft) {
        return new Builder<>(weft, WorkerGroup::noState);
    }

    /** A group whose members each hold a state made by {@code stateFactory} (run on the member). */
    public static <S> Builder<S> builder(Weft weft, WeftFunc0<S> stateFactory) {
        return new Builder<>(weft, stateFactory);
    }

    static Void noState() {
        return null;
    }

    /** The number of members now. */
    public int size() {
        return members.size();
    }

    /** 0 as first formed, plus one each time the group restarted or shrank. */
    public int generation() {
        return generation;
    }

    /** How many times the whole group was restarted. */
    public int restarts() {
        return restarts;
    }

    /** The members' actors, by rank (for inspection and fault injection; do not call them while a run is on). */
    public List<ActorHandle<?>> members() {
        return Collections.unmodifiableList(new ArrayList<>(members));
    }

    /** The placement group the members run in. */
    public PlacementGroup placementGroup() {
        return placementGroup;
    }

    /**
     * Runs {@code fn} on every member at once and returns the results by rank. When a member dies the group
     * re-forms (see the class comment) and {@code fn} runs again on every member, with the new generation in its
     * context. A member's own exception ends the run: the other members' calls are cancelled (interrupted) and a
     * {@link WorkerGroupException} is thrown with that exception as its cause.
     */
    public <R> List<R> run(MemberFn<S, R> fn) {
        Objects.requireNonNull(fn, "fn");
        if (closed) {
            throw new IllegalStateException("the worker group is closed");
        }
        while (true) {
            List<String> addresses;
            try {
                addresses = weft.get(members.stream()
                        .map(m -> m.task((WeftFunc1<Member<S>, String>) Member::listen).remote()).toList(),
                        PLACEMENT_PATIENCE);
            } catch (WeftException e) {
                // a member died between runs, or cannot open its listener
                List<Integer> dead = deadMembers();
                if (dead.isEmpty()) {
                    throw new WorkerGroupException("the worker group's members could not open their rendezvous "
                            + "listeners on " + bindHost + ": " + e.getMessage(), e);
                }
                reform(dead);
                continue;
            }
            List<ObjectRef<Object>> calls = new ArrayList<>();
            for (int rank = 0; rank < members.size(); rank++) {
                Assignment a = new Assignment(rank, members.size(), addresses, generation);
                calls.add(members.get(rank).task((WeftFunc3<Member<S>, MemberFn<S, R>, Assignment, Object>) Member::run, fn, a).name("worker-group rank " + rank).remote());
            }
            Outcome outcome = await(calls);
            if (outcome.failure == null) {
                @SuppressWarnings("unchecked")
                List<R> results = (List<R>) outcome.values;
                return results;
            }
            List<Integer> dead = deadMembers();
            if (dead.isEmpty()) {
                throw new WorkerGroupException("rank " + outcome.failedRank + " of the worker group (generation "
                        + generation + ") failed: " + outcome.failure.getMessage(), outcome.failure);
            }
            reform(dead);
        }
    }

    /** Waits for every call; at the first failure cancels (interrupts) the others and reports the failure. */
    private Outcome await(List<ObjectRef<Object>> calls) {
        List<ObjectRef<Object>> pending = new ArrayList<>(calls);
        Object[] values = new Object[calls.size()];
        WeftException failure = null;
        int failedRank = -1;
        while (!pending.isEmpty() && failure == null) {
            for (ObjectRef<Object> ready : weft.wait(pending, 1, null).ready()) {
                pending.remove(ready);
                int rank = calls.indexOf(ready);
                try {
                    values[rank] = ready.get();
                } catch (WeftException e) {
                    failure = e;
                    failedRank = rank;
                }
            }
        }
        if (failure != null) {
            for (ObjectRef<Object> p : pending) {
                weft.cancel(p, true);
            }
            for (ObjectRef<Object> p : pending) {
                try {
                    p.get();
                } catch (WeftException ignored) {
                    // cancelled or failed with the member that died: the death check below decides
                }
            }
        }
        calls.forEach(ObjectRef::close);
        return new Outcome(failure == null ? List.of(values) : null, failure, failedRank);
    }

    private record Outcome(List<Object> values, WeftException failure, int failedRank) {
        Outcome {
            values = values == null ? null : Collections.unmodifiableList(new ArrayList<>(values));
        }
    }

    /** The ranks whose actor no longer answers. */
    private List<Integer> deadMembers() {
        List<Integer> dead = new ArrayList<>();
        for (int rank = 0; rank < members.size(); rank++) {
            try (ObjectRef<Boolean> ping = members.get(rank).task((WeftFunc1<Member<S>, Boolean>) Member::ping).remote()) {
                ping.get(PING_PATIENCE);
            } catch (ActorDiedException | GetTimeoutException e) {
                // no answer within the patience: on a cluster, a member whose node was killed is not known dead
                // until the node's heartbeat times out, and a member that cannot answer cannot run either
                dead.add(rank);
            } catch (WeftException e) {
                if (e.isRetryable() || e instanceof TaskCancelledException) {
                    dead.add(rank);
                } else {
                    throw e;
                }
            }
        }
        return dead;
    }

    /** After members died: shrink to the survivors (elastic, enough left) or restart everyone (restarts left). */
    private void reform(List<Integer> dead) {
        int survivors = members.size() - dead.size();
        if (elastic && survivors >= minSize) {
            List<ActorHandle<Member<S>>> kept = new ArrayList<>();
            for (int rank = 0; rank < members.size(); rank++) {
                if (!dead.contains(rank)) {
                    kept.add(members.get(rank));
                }
            }
            members = kept;
            generation++;
            return;
        }
        if (restarts >= maxRestarts) {
            throw new WorkerGroupException("worker group member(s) at rank " + dead + " died (generation "
                    + generation + ", " + survivors + " of " + members.size() + " left"
                    + (elastic ? ", fewer than the minimum " + minSize : "") + ") and the group has used its "
                    + maxRestarts + " restart(s)", null);
        }
        restarts++;
        generation++;
        stopMembers();
        startMembers();
    }

    private WorkerGroup<S> startMembers() {
        List<Bundle> bundles = Collections.nCopies(maxSize, bundle);
        placementGroup = weft.placementGroup(strategy, bundles, null);
        try {
            placementGroup.ready().get(PLACEMENT_PATIENCE);
        } catch (WeftException e) {
            placementGroup.remove();
            throw new WorkerGroupException("cannot place " + maxSize + " members of " + bundle.resources() + " with "
                    + strategy + ": " + e.getMessage(), e);
        }
        List<ActorHandle<Member<S>>> started = new ArrayList<>();
        for (int i = 0; i < maxSize; i++) {
            var creator = weft.actor((WeftFunc2<WeftFunc0<S>, String, Member<S>>) Member::create, stateFactory, bindHost).placementGroup(placementGroup, i);
            bundle.resources().forEach(creator::resource);
            started.add(creator.remote());
        }
        members = started;
        return this;
    }

    private void stopMembers() {
        for (ActorHandle<Member<S>> m : members) {
            try {
                weft.kill(m);
            } catch (ActorDiedException e) {
                // its node is gone (on a cluster, "could not be reached to kill it"): the member is dead already
            }
        }
        members = new ArrayList<>();
        if (placementGroup != null) {
            placementGroup.remove();
            placementGroup = null;
        }
    }

    /** Kills the members and frees the placement group. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            stopMembers();
        }
    }

    /** Group options. Not thread-safe; {@link #start()} validates, places the group and starts the members. */
    public static final class Builder<S> {
        private final Weft weft;
        private final WeftFunc0<S> stateFactory;
        private int maxSize = 1;
        private int minSize = 1;
        private boolean elastic;
        private PlacementStrategy strategy = PlacementStrategy.PACK;
        private Bundle bundle = Bundle.cpus(1);
        private int maxRestarts = 3;
        private String bindHost = "127.0.0.1";

        private Builder(Weft weft, WeftFunc0<S> stateFactory) {
            this.weft = Objects.requireNonNull(weft, "weft");
            this.stateFactory = Objects.requireNonNull(stateFactory, "stateFactory");
        }

        /** A fixed-size group of {@code n} members (default 1). */
        public Builder<S> size(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("group size must be >= 1, got " + n);
            }
            maxSize = n;
            minSize = n;
            elastic = false;
            return this;
        }

        /** An elastic group: starts {@code max} members and continues while at least {@code min} survive. */
        public Builder<S> elastic(int min, int max) {
            if (min < 1 || max < min) {
                throw new IllegalArgumentException("elastic group needs 1 <= min <= max, got min " + min + ", max " + max);
            }
            minSize = min;
            maxSize = max;
            elastic = true;
            return this;
        }

        /** How the members' bundles spread over nodes: PACK (default) or STRICT_SPREAD, or any other strategy. */
        public Builder<S> strategy(PlacementStrategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** What each member reserves and holds (default 1 CPU). */
        public Builder<S> bundle(Bundle bundle) {
            this.bundle = Objects.requireNonNull(bundle, "bundle");
            return this;
        }

        /** How many times the whole group may restart after member deaths (default 3). */
        public Builder<S> maxRestarts(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxRestarts must be >= 0, got " + n);
            }
            maxRestarts = n;
            return this;
        }

        /**
         * The address members' rendezvous listeners bind to (default 127.0.0.1, for the embedded cluster; on a
         * cluster of several hosts use "0.0.0.0" and each member advertises its host's address).
         */
        public Builder<S> bindHost(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("bindHost must not be blank");
            }
            bindHost = host;
            return this;
        }

        /** Reserves the placement group (waiting until it is placed) and starts the members. */
        public WorkerGroup<S> start() {
            if (weft == null) {
                throw new IllegalStateException("no Weft session");
            }
            return new WorkerGroup<>(this).startMembers();
        }
    }

    /** A worker group could not be placed, lost more members than it can survive, or a member's code failed. */
    public static final class WorkerGroupException extends WeftException {
        WorkerGroupException(String message, Throwable cause) {
            super(cause instanceof WeftException w && w.errorType() != ErrorType.USER_ERROR ? w.errorType()
                    : ErrorType.USER_ERROR, message, cause);
        }
    }
}
