package dev.weft.api;

import dev.weft.spi.CurrentRuntime;
import dev.weft.spi.RuntimeProvider;
import dev.weft.spi.WeftRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The entry point: a session with a Weft runtime. {@link #init()} starts the embedded local cluster (or the
 * runtime that {@code WEFT_ADDRESS} names); {@link #current()} gives the runtime inside tasks and actors.
 *
 * <pre>{@code
 * try (Weft weft = Weft.init()) {
 *     ObjectRef<Integer> a = weft.task(MathFns::square, 4).remote();
 *     int v = weft.task(MathFns::add, a, 1).remote().get();   // 17
 * }
 * }</pre>
 *
 * Thread-safe. The program that called {@code init} owns the session and closes it; closing stops its tasks
 * and actors (detached actors excepted) and frees its objects. A {@code Weft} from {@link #current()}
 * does not own the runtime: closing it does nothing.
 */
public final class Weft implements AutoCloseable, TypedTaskCalls, TypedTaskCalls5, TypedTaskCalls6,
        TypedActorCreation, TypedActorCreation6 {
    private final WeftRuntime runtime;
    private final boolean owner;

    private Weft(WeftRuntime runtime, boolean owner) {
        this.runtime = runtime;
        this.owner = owner;
    }

    /** Starts or joins the runtime chosen by {@code WEFT_ADDRESS} (the embedded local cluster when unset). */
    public static Weft init() {
        return init(WeftConfig.builder().build());
    }

    /** Starts or joins the runtime that {@code config}'s address chooses. */
    public static Weft init(WeftConfig config) {
        String address = config.effectiveAddress();
        List<RuntimeProvider> providers = new ArrayList<>();
        ServiceLoader.load(RuntimeProvider.class).forEach(providers::add);
        Optional<RuntimeProvider> chosen = providers.stream()
                .filter(p -> p.accepts(address))
                .max(Comparator.comparingInt(RuntimeProvider::priority));
        if (chosen.isEmpty()) {
            throw new WeftException(ErrorType.USER_ERROR, "no Weft runtime accepts address '" + address
                    + "'; providers on the class path: " + providers.stream().map(RuntimeProvider::name).toList()
                    + (providers.isEmpty() ? " (add weft-engine to the class path)" : ""));
        }
        WeftRuntime runtime = chosen.get().start(config);
        CurrentRuntime.started(runtime);
        return new Weft(runtime, true);
    }

    /** The runtime of the task or actor this code runs in, else the most recently started open one. */
    public static Weft current() {
        return new Weft(CurrentRuntime.get().orElseThrow(() -> new WeftException(ErrorType.USER_ERROR,
                "no Weft runtime is running: call Weft.init() first")), false);
    }

    /** A non-owning session over a runtime, for providers and libraries on the SPI. */
    public static Weft of(WeftRuntime runtime) {
        return new Weft(runtime, false);
    }

    /** The runtime behind this session, for libraries written against the SPI. */
    @Override
    public WeftRuntime runtime() {
        return runtime;
    }

    // ---- tasks and actors: typed overloads in TypedTaskCalls* and TypedActorCreation* ---------------------

    /** The live actor registered under {@code name}. */
    public <A> Optional<ActorHandle<A>> getActor(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("actor name must not be blank");
        }
        return runtime.getActor(name);
    }

    /** Kills an actor now; with {@code noRestart} false it restarts if it has restarts left. */
    public void kill(ActorHandle<?> actor, boolean noRestart) {
        runtime.kill(actor, noRestart);
    }

    /** Kills an actor for good. */
    public void kill(ActorHandle<?> actor) {
        runtime.kill(actor, true);
    }

    // ---- objects ----------------------------------------------------------------------------------------

    /** Stores an immutable copy of {@code value} in the object store. */
    public <T> ObjectRef<T> put(T value) {
        return runtime.put(value);
    }

    /** The values of {@code refs}, in order; blocks until all are ready. */
    public <T> List<T> get(List<? extends ObjectRef<? extends T>> refs) {
        return runtime.get(refs, null);
    }

    /** The values of {@code refs}, in order; fails with {@link GetTimeoutException} after {@code timeout}. */
    public <T> List<T> get(List<? extends ObjectRef<? extends T>> refs, Duration timeout) {
        return runtime.get(refs, timeout);
    }

    /**
     * Waits until {@code numReturns} of {@code refs} are ready or {@code timeout} passes. Ready refs come in
     * completion order; at most {@code numReturns} are returned as ready.
     */
    public <T> WaitResult<T> wait(List<? extends ObjectRef<T>> refs, int numReturns, Duration timeout) {
        if (numReturns < 0 || numReturns > refs.size()) {
            throw new IllegalArgumentException("numReturns must be between 0 and " + refs.size() + ", got " + numReturns);
        }
        return runtime.wait(refs, numReturns, timeout);
    }

    /** Waits for every ref, however long it takes. */
    public <T> WaitResult<T> wait(List<? extends ObjectRef<T>> refs) {
        return runtime.wait(refs, refs.size(), null);
    }

    /** Cancels the task behind {@code ref} and the tasks it submitted; a running task is left to finish. */
    public void cancel(ObjectRef<?> ref) {
        runtime.cancel(ref, false, true);
    }

    /** Like {@link #cancel(ObjectRef)}; with {@code force} a running task is interrupted. */
    public void cancel(ObjectRef<?> ref, boolean force) {
        runtime.cancel(ref, force, true);
    }

    // ---- placement groups and state --------------------------------------------------------------------

    /** Reserves {@code bundles} atomically with {@code strategy}; returns at once. */
    public PlacementGroup placementGroup(PlacementStrategy strategy, Bundle... bundles) {
        return placementGroup(strategy, Arrays.asList(bundles), null);
    }

    /** Like {@link #placementGroup(PlacementStrategy, Bundle...)}, with a name for the state API. */
    public PlacementGroup placementGroup(PlacementStrategy strategy, List<Bundle> bundles, String name) {
        if (strategy == null) {
            throw new IllegalArgumentException("placement strategy must not be null");
        }
        if (bundles == null || bundles.isEmpty()) {
            throw new IllegalArgumentException("a placement group needs at least one bundle");
        }
        return runtime.createPlacementGroup(strategy, List.copyOf(bundles), name);
    }

    /** The cluster's nodes, with total and available resources. */
    public List<NodeInfo> nodes() {
        return runtime.nodes();
    }

    /**
     * Where each object lives: for each ref (in order), the ids of the nodes whose object stores hold its value now,
     * the primary copy first. Empty while the value is pending, and for small values that travel inline with their
     * refs (equally near to every node). For locality decisions, like Ray's {@code get_object_locations}.
     */
    public List<List<String>> objectLocations(List<? extends ObjectRef<?>> refs) {
        if (refs == null) {
            throw new IllegalArgumentException("refs must not be null");
        }
        return runtime.objectLocations(refs);
    }

    /** Closes the runtime if this session started it; otherwise does nothing. Idempotent. */
    @Override
    public void close() {
        if (owner) {
            CurrentRuntime.closed(runtime);
            runtime.close();
        }
    }
}
